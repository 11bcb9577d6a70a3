/**
 * The benchmark runner: `npm run bench` (all workloads) or `npm run bench -- W1 W3`.
 *
 * Runs each selected workload of shared/bench/WORKLOADS.md on the simulator, every round in a
 * fresh `node` process (as a user would run `node dist/test/bench/w1.js`; W3 runs every case in a
 * fresh process too), and prints one JSON line per workload exactly as WORKLOADS.md shows: the
 * round with the median seconds. The native C reference (../shared/bench/native from the repo
 * root, read-only) is copied to a temporary directory and run with its run.sh, one round after
 * each round of the simulator (interleaved, so that both see the same machine); its median lines
 * follow with "impl":"native" added, and the output ends with one ratio line per workload both
 * ran, from the two medians:
 * {"workload":"W1","impl":"ratio","sim_ops_per_s":...,"native_ops_per_s":...,"ratio":...,"rounds":3}.
 * The native reference's README asks for exactly this: the machines vary by about ±20 % between
 * runs, so compare medians of several rounds taken in the same run.
 * Options: `--rounds N` (default 3), `--no-native` skips the native run, `-n OPS` shortens the
 * timed loops.
 *
 * Adding a workload: write test/bench/wN.ts exporting `run(ops?)` that returns the record and
 * printing it when run as a script, and add one line to REGISTRY below. Benchmarks are
 * measurements, never tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDir } from '../../lib/course/chapters.js';

type Rec = Record<string, number | string | boolean>;
/** A workload: its script (relative to this directory), run once per round or once per case. */
interface Entry {
  script: string;
  /** Cases that each need their own process (W3); none = one line per round. */
  cases?: string[];
  /** The native reference has this workload. */
  native: boolean;
}

/** The workloads, by name. One line each. */
export const REGISTRY: Record<string, Entry> = {
  W1: { script: 'w1.js', native: true },
  W2: { script: 'w2.js', native: true },
  W3: { script: 'w3.js', cases: ['16G', '1T-8node'], native: false },
  W5: { script: 'w5.js', native: true },
};

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..'); // dist/test/bench → repo root

/** The record with the median `seconds` of several rounds of one workload. */
export function medianRecord(recs: Rec[]): Rec {
  const sorted = [...recs].sort((a, b) => Number(a.seconds) - Number(b.seconds));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function main(): void {
  const args = process.argv.slice(2);
  const ni = args.indexOf('-n');
  const ops = ni >= 0 ? Number(args[ni + 1]) : undefined;
  const ri = args.indexOf('--rounds');
  const rounds = ri >= 0 ? Number(args[ri + 1]) : 3;
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bench: --rounds takes a positive integer, not ${args[ri + 1]}`);
  const noNative = args.includes('--no-native');
  let names = args.filter((a) => /^W\d+$/.test(a));
  if (!names.length) names = Object.keys(REGISTRY);
  for (const n of names) if (!REGISTRY[n]) throw new Error(`bench: unknown workload ${n} (known: ${Object.keys(REGISTRY).join(', ')})`);
  runAll(names, ops, rounds, noNative);
}

/** Runs `script` in a fresh node process; its JSON lines, or null (reported) when it fails. */
function runChild(name: string, script: string, args: string[]): Rec[] | null {
  const r = spawnSync(process.execPath, [join(here, script), ...args], { encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(`bench: ${name} failed:\n${r.stderr}`);
    return null;
  }
  return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Rec);
}

function runAll(names: string[], ops: number | undefined, rounds: number, noNative: boolean): void {
  const opArgs = ops === undefined ? [] : ['-n', String(ops)];
  // W3: every case in its own process, once.
  for (const n of names) {
    const e = REGISTRY[n];
    for (const c of e.cases ?? []) {
      const recs = runChild(`${n} case ${c}`, e.script, ['--case', c]);
      if (recs) for (const rec of recs) console.log(JSON.stringify(rec));
    }
  }
  const timed = names.filter((n) => !REGISTRY[n].cases);
  const nat = noNative ? [] : timed.filter((n) => REGISTRY[n].native);
  const native = nat.length ? prepareNative() : null;
  // The rounds interleave: the simulator's workloads, then the native programs, round after
  // round, so that a machine that speeds up or slows down during the run weighs on both alike.
  const simRecs: Record<string, Rec[]> = {};
  const natRecs: Record<string, Rec[]> = {};
  try {
    for (let i = 0; i < rounds; i++) {
      for (const n of timed) (simRecs[n] ??= []).push(...(runChild(n, REGISTRY[n].script, opArgs) ?? []));
      if (!native) continue;
      const recs = native.round(nat);
      if (!recs) break;
      for (const rec of recs) (natRecs[String(rec.workload)] ??= []).push(rec);
    }
  } finally {
    native?.remove();
  }
  const sim: Record<string, Rec> = {};
  for (const n of timed) {
    if (!simRecs[n]?.length) continue;
    sim[n] = medianRecord(simRecs[n]);
    console.log(JSON.stringify(sim[n]));
  }
  for (const n of nat) {
    if (!natRecs[n]?.length) continue;
    const b = medianRecord(natRecs[n]);
    console.log(JSON.stringify({ ...b, impl: 'native' }));
    const a = sim[n];
    if (!a) continue;
    const ratio = Number(a.ops_per_s) / Number(b.ops_per_s);
    console.log(JSON.stringify({ workload: n, impl: 'ratio', sim_ops_per_s: a.ops_per_s, native_ops_per_s: b.ops_per_s, ratio: Number(ratio.toFixed(3)), rounds }));
  }
}

/** The native reference copied to a temporary directory: one round of it, and its removal. */
interface Native {
  /** Runs one round of the given workloads; their JSON lines, or null (reported) on failure. */
  round(names: string[]): Rec[] | null;
  remove(): void;
}

/** Copies ../shared/bench/native to a temporary directory (its run.sh builds it), or null. */
function prepareNative(): Native | null {
  const src = join(sharedDir(repoRoot), 'bench', 'native');
  if (!existsSync(join(src, 'run.sh'))) {
    console.error(`bench: native reference not found at ${src}`);
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mmlab-native-'));
  cpSync(src, dir, { recursive: true });
  rmSync(join(dir, 'build'), { recursive: true, force: true });
  return {
    // One run.sh call per round (its own multi-round mode fails when only some workloads are
    // chosen: its median summary greps for all three).
    round(names: string[]): Rec[] | null {
      const r = spawnSync('bash', [join(dir, 'run.sh'), '1', ...names], { encoding: 'utf8', cwd: dir });
      if (r.status !== 0) {
        console.error(`bench: native run failed:\n${r.stderr}`);
        return null;
      }
      return r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l) as Rec);
    },
    remove(): void {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

main();
