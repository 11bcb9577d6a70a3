/**
 * The course: chapters, exercises, problem generators and the grader.
 *
 * Mirrors: nothing in the kernel; ours. See chapters/README.md for the chapter format and how
 * to add exercises, and lib/course/grader.ts for how grading works.
 */
export * from './types.js';
export { getExercise, getProblem, listExercises, listProblems } from './catalog.js';
export {
  gradeExercise, gradeExerciseSync, generateCases, exercisePoints, transpileSolution, functionModule, coursePrelude,
  formatReportText, formatReportJson, formatReportHtml, deepEqual, hashSeed, CALL_HARNESS,
} from './grader.js';
export type { GradeOptions } from './grader.js';
export { runInSandbox, runInSandboxSync } from './sandbox.js';
export type { SandboxCase, SandboxResult, SandboxOptions } from './sandbox.js';
export { formatProblemText, formatProblemHtml, formatRevealHtml } from './problems.js';
export {
  loadChapter, loadChapters, listChapterSlugs, parseChapter, parseFrontMatter, checkChapterMeta, conceptCoverage,
  loadConcepts, findRepoRoot, seedsDir, flattenBlocks, normaliseHeading, ChapterFormatError, BOX_LABELS,
} from './chapters.js';
export type { Chapter, ChapterBlock, ChapterMeta, MirrorRef, Concept, BoxKind } from './chapters.js';
export { chapterNotebook, chapterTerminalMarkdown, exerciseMarkdown, exerciseCode, starterFunctionName, SETUP_CELL } from './notebook.js';
