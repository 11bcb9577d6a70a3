/**
 * The `grade` command line: `npm run grade -- ID FILE [--json] [--learner NAME] [--seed N]`,
 * `npm run grade -- --list`, `npm run grade -- --problem ID [SEED] [--reveal]`.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: FILE is a TypeScript module whose default export is the solution. Prints the grade
 * report as text (or JSON) and exits 0 when every point was earned, 1 when not, 2 on a usage
 * error. Run through tsx (package.json "grade": "tsx lib/course/cli.ts").
 * See: chapters/README.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { getExercise, getProblem, listExercises } from './catalog.js';
import { exercisePoints, formatReportJson, formatReportText, gradeExercise } from './grader.js';
import { formatProblemText } from './problems.js';

const USAGE = [
  'usage: npm run grade -- ID FILE [--json] [--learner NAME] [--seed N]',
  '       npm run grade -- --list',
  '       npm run grade -- --problem ID [SEED] [--reveal]',
  '',
  'FILE is a TypeScript file whose default export is your solution.',
].join('\n');

/** Runs the CLI with the given arguments; resolves to the exit code. */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s + '\n')): Promise<number> {
  const args = [...argv];
  const flag = (name: string): boolean => {
    const i = args.indexOf(name);
    if (i < 0) return false;
    args.splice(i, 1);
    return true;
  };
  const option = (name: string): string | undefined => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    args.splice(i, 2);
    return v;
  };
  if (flag('--help') || flag('-h')) {
    out(USAGE);
    return 0;
  }
  if (flag('--list')) {
    const exs = listExercises();
    const w = Math.max(...exs.map((e) => e.id.length));
    for (const e of exs) out(`${e.id.padEnd(w)}  ${String(exercisePoints(e)).padStart(3)} pts  ${e.title}`);
    out(`${exs.length} exercises, ${exs.reduce((s, e) => s + exercisePoints(e), 0)} points`);
    return 0;
  }
  const problemId = option('--problem');
  if (problemId !== undefined) {
    const reveal = flag('--reveal');
    try {
      const seed = args[0] !== undefined ? Number(args[0]) : 1;
      if (!Number.isInteger(seed) || seed < 0) throw new Error(`seed '${args[0]}' is not a whole number`);
      out(formatProblemText(getProblem(problemId).generate(seed), reveal));
      return 0;
    } catch (e) {
      out(`grade: ${(e as Error).message}`);
      return 2;
    }
  }
  const json = flag('--json');
  const learner = option('--learner') ?? '';
  const seedText = option('--seed');
  const seed = seedText === undefined ? 1 : Number(seedText);
  if (args.length !== 2 || !Number.isInteger(seed)) {
    out(USAGE);
    return 2;
  }
  const [id, file] = args;
  let ex;
  try {
    ex = getExercise(id);
  } catch (e) {
    out(`grade: ${(e as Error).message}`);
    return 2;
  }
  if (!existsSync(file)) {
    out(`grade: ${file}: no such file`);
    return 2;
  }
  const report = await gradeExercise(ex, readFileSync(file, 'utf8'), { learner, seed });
  out(json ? formatReportJson(report) : formatReportText(report));
  return report.earned === report.total ? 0 : 1;
}

// Run when executed directly (tsx lib/course/cli.ts ...), not when imported by tests.
if (/cli\.[cm]?[jt]s$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: Error) => {
      process.stdout.write(`grade: ${e.message}\n`);
      process.exitCode = 2;
    },
  );
}
