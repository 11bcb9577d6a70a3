/**
 * Notebook helpers: `show` (pictures and text inline), `grade` (the grade report as HTML),
 * `problem` and `reveal` (OSTEP-style questions). Imported by every generated notebook:
 *
 *     import { show, grade, problem, reveal } from './notebooks/show.js';
 *
 * This file may import tslab (lib/ may not). Paths are relative to the repository root, where
 * the kernel runs (notebooks/kernel/tslab-kernel.cjs).
 */
import * as tslab from 'tslab';
import { makeShow, type DisplayOptions } from '../lib/view/show.js';
import { getExercise, getProblem } from '../lib/course/catalog.js';
import { formatReportHtml, gradeExercise, type GradeOptions } from '../lib/course/grader.js';
import { formatProblemHtml, formatRevealHtml } from '../lib/course/problems.js';
import type { ProblemInstance } from '../lib/course/types.js';

function escHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const showValue = makeShow({
  svg: (s) => tslab.display.svg(s),
  html: (s) => tslab.display.html(s),
  text: (s) => tslab.display.html(`<pre style="font-size:12px;line-height:1.25">${escHtml(s)}</pre>`),
});

/**
 * Displays anything inline: an SVG string as a picture, other markup as HTML, plain text as a
 * preformatted block, and snapshots (zones, memory maps, free blocks ...) through lib/view's
 * `toDisplay` (a picture when one exists for them, else a table).
 */
export function show(x: unknown, opts?: DisplayOptions): void {
  if (typeof x === 'string') {
    const t = x.trimStart();
    if (t.startsWith('<svg')) tslab.display.svg(x);
    else if (t.startsWith('<')) tslab.display.html(x);
    else tslab.display.html(`<pre style="font-size:12px;line-height:1.25">${escHtml(x)}</pre>`);
    return;
  }
  showValue(x, opts);
}

/**
 * Grades a solution function and shows the report. The function's source is what is graded,
 * so it must not use variables defined outside it (the GFP and zone constants are available).
 */
export async function grade(id: string, fn: (...args: never[]) => unknown, opts: GradeOptions = {}): Promise<void> {
  const report = await gradeExercise(getExercise(id), fn, opts);
  tslab.display.html(formatReportHtml(report));
}

let current: ProblemInstance | undefined;

/** Shows a fresh question for problem `id` (same seed → same question). */
export function problem(id: string, seed = 1): void {
  current = getProblem(id).generate(seed);
  tslab.display.html(formatProblemHtml(current));
}

/** Shows the answer to the last `problem(...)`, with the reasoning step by step. */
export function reveal(): void {
  if (!current) {
    tslab.display.html('<i>No problem yet: call problem(ID, SEED) first.</i>');
    return;
  }
  tslab.display.html(formatRevealHtml(current));
}
