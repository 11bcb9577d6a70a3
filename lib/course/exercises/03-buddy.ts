/**
 * Chapter 03-buddy: exercises and problem generators.
 * See: chapters/03-buddy/chapter.md.
 */
import type { Exercise, Problem } from '../types.js';

/** Graded exercises of this chapter. */
export const exercises: Exercise[] = [];
/** Problem generators of this chapter. */
export const problems: Problem[] = [];
