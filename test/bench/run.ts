/**
 * The benchmark runner: `npm run bench` (all workloads) or `npm run bench -- W1 W3`.
 *
 * Runs each selected workload of shared/bench/WORKLOADS.md on the simulator, every round in a
 * fresh `node` process (as a user would run `node dist/test/bench/w1.js`; W3 runs every case in a
 * fresh process too), and prints one JSON line per workload exactly as WORKLOADS.md shows: the
 * round with the median seconds. Then it copies the native C reference (../shared/bench/native
 * from the repo root, read-only) to a temporary directory, builds it and runs the same rounds
 * with its run.sh, prints the native median lines with "impl":"native" added, and ends with one
 * ratio line per workload both ran, from the two medians:
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
  const sim: Record<string, Rec> = {};
  const opArgs = ops === undefined ? [] : ['-n', String(ops)];
  for (const n of names) {
    const e = REGISTRY[n];
    if (e.cases) {
      for (const c of e.cases) {
        const recs = runChild(`${n} case ${c}`, e.script, ['--case', c]);
        if (recs) for (const rec of recs) console.log(JSON.stringify(rec));
      }
      continue;
    }
    const recs: Rec[] = [];
    for (let i = 0; i < rounds; i++) recs.push(...(runChild(n, e.script, opArgs) ?? []));
    if (!recs.length) continue;
    sim[n] = medianRecord(recs);
    console.log(JSON.stringify(sim[n]));
  }
  if (noNative) return;
  const nat = names.filter((n) => REGISTRY[n].native);
  if (!nat.length) return;
  const src = join(sharedDir(repoRoot), 'bench', 'native');
  if (!existsSync(join(src, 'run.sh'))) {
    console.error(`bench: native reference not found at ${src}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mmlab-native-'));
  try {
    cpSync(src, dir, { recursive: true });
    rmSync(join(dir, 'build'), { recursive: true, force: true });
    // One run.sh call per round (its own multi-round mode fails when only some workloads are
    // chosen: its median summary greps for all three).
    const byName: Record<string, Rec[]> = {};
    for (let i = 0; i < rounds; i++) {
      const r = spawnSync('bash', [join(dir, 'run.sh'), '1', ...nat], { encoding: 'utf8', cwd: dir });
      if (r.status !== 0) {
        console.error(`bench: native run failed:\n${r.stderr}`);
        return;
      }
      for (const line of r.stdout.split('\n')) {
        if (!line.trim().startsWith('{')) continue;
        const rec = JSON.parse(line) as Rec;
        (byName[String(rec.workload)] ??= []).push(rec);
      }
    }
    for (const n of nat) {
      const a = sim[n];
      if (!byName[n]) continue;
      const b = medianRecord(byName[n]);
      console.log(JSON.stringify({ ...b, impl: 'native' }));
      if (!a) continue;
      const ratio = Number(a.ops_per_s) / Number(b.ops_per_s);
      console.log(JSON.stringify({ workload: n, impl: 'ratio', sim_ops_per_s: a.ops_per_s, native_ops_per_s: b.ops_per_s, ratio: Number(ratio.toFixed(3)), rounds }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
