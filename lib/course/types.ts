/**
 * The data shapes of the course: exercises, their tests, grade reports and problems.
 *
 * Mirrors: nothing in the kernel; ours (the course). The problem generators follow OSTEP's
 * homework simulators: a seed makes a fresh question, `-c` (here `reveal`) shows the answer
 * with the reasoning.
 * Models: an exercise is data — prompt, starter source, hints, a harness that calls the
 * learner's function, and tests whose cases are generated from a seed with the simulator as
 * the oracle. See lib/course/grader.ts for how they are run and scored.
 * See: chapters/README.md (writing exercises).
 */
import type { Rng } from '../base/rng.js';

/** One call of the learner's function with the answer the simulator gives. */
export interface GradeCase {
  /** JSON-safe input handed to the harness (for plain functions: the argument list). */
  input: unknown;
  /** JSON-safe expected result (what the simulator computed). */
  expected: unknown;
}

/** One scored test of an exercise: a group of cases worth some points. */
export interface ExerciseTest {
  /** Short name, unique within the exercise ('buddy of an order-0 page'). */
  name: string;
  /** Points earned when every case passes. */
  points: number;
  /** Hidden tests never show their inputs or expected values, only the hint. */
  hidden?: boolean;
  /** Names of tests that must pass before this one is scored. */
  dependsOn?: string[];
  /** Shown when the test fails (the only feedback of a hidden test). */
  hint: string;
  /**
   * The cases. `rng` is seeded from the exercise id, the learner id and the seed, so
   * hidden cases differ per learner; visible tests should ignore it or use fixed values.
   */
  cases(rng: Rng): GradeCase[];
}

/** What kind of task an exercise is. */
export type ExerciseKind = 'implement' | 'predict' | 'policy';

/** A graded exercise. */
export interface Exercise {
  /** `NN-chapter/slug`, e.g. `03-buddy/find-buddy`. */
  id: string;
  /** The chapter folder name, e.g. `03-buddy`. */
  chapter: string;
  title: string;
  kind: ExerciseKind;
  /** The task, in Markdown. */
  prompt: string;
  /** TypeScript source the learner starts from (a module whose default export is the solution). */
  starter: string;
  /** Hints, from gentle to explicit. */
  hints: string[];
  /** The function's signature, shown with the prompt. */
  signature: string;
  /**
   * JavaScript source of `(fn, input) => result`, run in the sandbox around the learner's
   * function; default `(fn, input) => fn(...input)`. A policy exercise puts its model here.
   */
  harness?: string;
  /** Renders a visible case's input for messages, e.g. `find_buddy(8, 1)`. */
  show(input: unknown): string;
  /** True when `actual` is right for this case (default: deep equality with `expected`). */
  accept?(actual: unknown, expected: unknown, input: unknown): boolean;
  tests: ExerciseTest[];
}

/** One test's outcome in a report. */
export interface TestReport {
  name: string;
  hidden: boolean;
  points: number;
  earned: number;
  status: 'pass' | 'fail' | 'error' | 'skipped';
  /** What went wrong (for hidden tests: never the input or the expected value). */
  message: string;
  /** The test's hint, on failure. */
  hint?: string;
  /** Console output of the learner's code during a visible test (capped). */
  logs?: string;
}

/** The result of grading one solution. */
export interface GradeReport {
  id: string;
  title: string;
  /** Learner id the hidden cases were generated for ('' = the default variant). */
  learner: string;
  seed: number;
  earned: number;
  total: number;
  /** Whole percent, rounded down (100 only when every point is earned). */
  percent: number;
  tests: TestReport[];
  /** One line: score, then visible and hidden tests passed. */
  summary: string;
  /** Set when the solution could not be loaded at all (syntax error, no export ...). */
  loadError?: string;
}

/** A generated question (OSTEP-style). */
export interface ProblemInstance {
  id: string;
  seed: number;
  title: string;
  /** The question, in Markdown. */
  question: string;
  /** The answer, in one line or a short block. */
  answer: string;
  /** The reasoning, step by step, taken from the simulator's state and trace. */
  steps: string[];
}

/** A problem generator. */
export interface Problem {
  /** `NN-chapter/slug`. */
  id: string;
  chapter: string;
  title: string;
  /** Builds the question for a seed; the same seed gives the same question. */
  generate(seed: number): ProblemInstance;
}
