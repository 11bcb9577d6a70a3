/**
 * The course in the REPL: `chapter N` reads a chapter, `problem ID [SEED]` asks a generated
 * question, `reveal` answers it step by step, `grade ID FILE` grades a solution file.
 * Everything comes from lib/course (chapters, catalog, grader); see chapters/README.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { getExercise, getProblem, listExercises, listProblems } from '../../lib/course/catalog.js';
import { listChapterSlugs, loadChapter } from '../../lib/course/chapters.js';
import { exercisePoints, formatReportText, gradeExerciseSync } from '../../lib/course/grader.js';
import { chapterTerminalMarkdown } from '../../lib/course/notebook.js';
import { formatProblemText } from '../../lib/course/problems.js';
import { renderTerminal } from '../../lib/course/terminal.js';
import type { ProblemInstance } from '../../lib/course/types.js';
import { parseUint, UsageError } from '../parse.js';
import { registerCommand, registerGroup } from '../registry.js';
import type { Session } from '../session.js';

registerGroup('course', 'Course: chapters, problems, grading', 80);

/** The last problem asked in each session, for `reveal`. */
const lastProblem = new WeakMap<Session, ProblemInstance>();

registerCommand({
  name: 'chapter',
  group: 'course',
  usage: 'chapter [N | SLUG]',
  summary: 'read a chapter (no argument: list the chapters)',
  example: 'chapter 3',
  complete: () => listChapterSlugs().flatMap((s) => [String(Number(s.slice(0, 2))), s]),
  run(ctx, args) {
    if (!args.length) {
      return listChapterSlugs().map((s) => `  ${s.slice(0, 2)}  ${loadChapter(s).meta.title}`).join('\n') + '\n(chapter N reads one)';
    }
    let ch;
    try {
      ch = loadChapter(args[0]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    return renderTerminal(chapterTerminalMarkdown(ch), { width: ctx.width, color: ctx.c.enabled }).trimEnd();
  },
});

registerCommand({
  name: 'problem',
  group: 'course',
  usage: 'problem [ID [SEED]]',
  summary: 'a generated question (OSTEP-style); the same seed gives the same question; no argument lists them',
  example: 'problem 03-buddy/split 7',
  complete: (args) => (args.length === 0 ? listProblems().map((p) => p.id) : []),
  run(ctx, args) {
    if (!args.length) return listProblems().map((p) => `  ${p.id.padEnd(28)} ${p.title}`).join('\n');
    let p;
    try {
      p = getProblem(args[0]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const seed = args[1] === undefined ? 1 : parseUint(args[1], 'seed', 0xffffffff);
    const inst = p.generate(seed);
    lastProblem.set(ctx.session, inst);
    return formatProblemText(inst, false);
  },
});

registerCommand({
  name: 'reveal',
  group: 'course',
  usage: 'reveal',
  summary: 'the answer to the last problem, with the reasoning step by step',
  example: 'reveal',
  run(ctx) {
    const inst = lastProblem.get(ctx.session);
    if (!inst) throw new UsageError("no problem yet: ask one with 'problem ID [SEED]'");
    return formatProblemText(inst, true);
  },
});

registerCommand({
  name: 'grade',
  group: 'course',
  usage: 'grade ID FILE [LEARNER] | grade --list',
  summary: "grade a solution file (a TypeScript module whose default export is the solution)",
  example: 'grade 03-buddy/find-buddy my-buddy.ts',
  complete: (args) => (args.length === 0 ? ['--list', ...listExercises().map((e) => e.id)] : []),
  run(ctx, args) {
    if (args[0] === '--list' || !args.length) {
      return listExercises().map((e) => `  ${e.id.padEnd(28)} ${String(exercisePoints(e)).padStart(3)} pts  ${e.title}`).join('\n');
    }
    if (args.length < 2) throw new UsageError('grade needs an exercise id and a file');
    let ex;
    try {
      ex = getExercise(args[0]);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const file = resolve(args[1]);
    if (!existsSync(file)) throw new UsageError(`${args[1]}: no such file`);
    const report = gradeExerciseSync(ex, readFileSync(file, 'utf8'), { learner: args[2] ?? '' });
    return formatReportText(report);
  },
});
