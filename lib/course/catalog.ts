/**
 * The course catalog: every exercise and every problem generator, by id.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: one module per chapter under lib/course/exercises/ (`NN-slug.ts`) exports
 * `exercises` and `problems`; this file lists those modules. A later chapter adds its module
 * and one line to CHAPTER_MODULES below (see chapters/README.md).
 * See: chapters/README.md.
 */
import * as ch01 from './exercises/01-boot.js';
import * as ch02 from './exercises/02-zones.js';
import * as ch03 from './exercises/03-buddy.js';
import * as ch04 from './exercises/04-slab.js';
import * as ch05 from './exercises/05-kmalloc-debug.js';
import * as ch06 from './exercises/06-paging.js';
import * as ch07 from './exercises/07-mmu-tlb.js';
import * as ch08 from './exercises/08-address-spaces.js';
import type { Exercise, Problem } from './types.js';

/** The chapter modules, in chapter order. Add a line here for a new chapter's exercises. */
const CHAPTER_MODULES: { exercises: Exercise[]; problems: Problem[] }[] = [ch01, ch02, ch03, ch04, ch05, ch06, ch07, ch08];

/** Every exercise, in chapter order. */
export function listExercises(): Exercise[] {
  return CHAPTER_MODULES.flatMap((m) => m.exercises);
}

/** Every problem generator, in chapter order. */
export function listProblems(): Problem[] {
  return CHAPTER_MODULES.flatMap((m) => m.problems);
}

/** The exercise with this id; an error listing the ids when there is none. */
export function getExercise(id: string): Exercise {
  const ex = listExercises().find((e) => e.id === id);
  if (!ex) throw new Error(`no exercise '${id}' (try one of: ${listExercises().map((e) => e.id).join(', ')})`);
  return ex;
}

/** The problem generator with this id; an error listing the ids when there is none. */
export function getProblem(id: string): Problem {
  const p = listProblems().find((e) => e.id === id);
  if (!p) throw new Error(`no problem '${id}' (try one of: ${listProblems().map((e) => e.id).join(', ')})`);
  return p;
}
