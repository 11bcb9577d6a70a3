/**
 * The benchmark runner: `npm run bench` (all workloads) or `npm run bench -- W1 W3`.
 *
 * Runs each selected workload of shared/bench/WORKLOADS.md on the simulator and prints its JSON
 * line exactly as WORKLOADS.md shows; W3 runs every case in a fresh child process. Then it copies
 * the native C reference (../shared/bench/native from the repo root, read-only) to a temporary
 * directory, builds and runs it for the same workloads (its run.sh), prints its lines with
 * "impl":"native" added, and ends with one ratio line per workload both ran:
 * {"workload":"W1","impl":"ratio","sim_ops_per_s":...,"native_ops_per_s":...,"ratio":...}.
 * Options: `--no-native` skips the native run; `-n OPS` shortens the timed loops.
 *
 * Adding a workload: write test/bench/wN.ts exporting `run(ops?)` that returns the record, and add
 * one line to REGISTRY below. Benchmarks are measurements, never tests.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

type Rec = Record<string, number | string | boolean>;
/** A workload: in-process (`load` gives its module) or one child process per case (`cases`). */
interface Entry {
  load?: () => Promise<{ run: (ops?: number) => Rec }>;
  /** Child-process cases: the script (relative to this directory) and the case names. */
  child?: { script: string; cases: string[] };
  /** The native reference has this workload. */
  native: boolean;
}

/** The workloads, by name. One line each. */
export const REGISTRY: Record<string, Entry> = {
  W1: { load: () => import('./w1.js'), native: true },
  W2: { load: () => import('./w2.js'), native: true },
  W3: { child: { script: 'w3.js', cases: ['16G', '1T-8node'] }, native: false },
  W5: { load: () => import(/* owner: slab */ './' + 'w5.js'), native: true },
};

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..'); // dist/test/bench → repo root

function main(): void {
  const args = process.argv.slice(2);
  const ni = args.indexOf('-n');
  const ops = ni >= 0 ? Number(args[ni + 1]) : undefined;
  const noNative = args.includes('--no-native');
  let names = args.filter((a) => /^W\d+$/.test(a));
  if (!names.length) names = Object.keys(REGISTRY);
  for (const n of names) if (!REGISTRY[n]) throw new Error(`bench: unknown workload ${n} (known: ${Object.keys(REGISTRY).join(', ')})`);
  void runAll(names, ops, noNative);
}

async function runAll(names: string[], ops: number | undefined, noNative: boolean): Promise<void> {
  const sim: Record<string, Rec> = {};
  for (const n of names) {
    const e = REGISTRY[n];
    if (e.child) {
      for (const c of e.child.cases) {
        const r = spawnSync(process.execPath, [join(here, e.child.script), '--case', c], { encoding: 'utf8' });
        if (r.status !== 0) {
          console.error(`bench: ${n} case ${c} failed:\n${r.stderr}`);
          continue;
        }
        process.stdout.write(r.stdout);
      }
      continue;
    }
    let mod: { run: (ops?: number) => Rec };
    try {
      mod = await e.load!();
    } catch (err) {
      console.error(`bench: ${n} is not available yet (${(err as Error).message.split('\n')[0]})`);
      continue;
    }
    const rec = mod.run(ops);
    sim[n] = rec;
    console.log(JSON.stringify(rec));
  }
  if (noNative) return;
  const nat = names.filter((n) => REGISTRY[n].native);
  if (!nat.length) return;
  const src = join(repoRoot, '..', 'shared', 'bench', 'native');
  if (!existsSync(join(src, 'run.sh'))) {
    console.error(`bench: native reference not found at ${src}`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'mmlab-native-'));
  try {
    cpSync(src, dir, { recursive: true });
    rmSync(join(dir, 'build'), { recursive: true, force: true });
    // run.sh reads any number as a round count, so the native loops always run their full length.
    const r = spawnSync('bash', [join(dir, 'run.sh'), '1', ...nat], { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) {
      console.error(`bench: native run failed:\n${r.stderr}`);
      return;
    }
    const native: Record<string, Rec> = {};
    for (const line of r.stdout.split('\n')) {
      if (!line.trim().startsWith('{')) continue;
      const rec = JSON.parse(line) as Rec;
      native[String(rec.workload)] = rec;
      console.log(JSON.stringify({ ...rec, impl: 'native' }));
    }
    for (const n of nat) {
      const a = sim[n];
      const b = native[n];
      if (!a || !b) continue;
      const ratio = Number(a.ops_per_s) / Number(b.ops_per_s);
      console.log(JSON.stringify({ workload: n, impl: 'ratio', sim_ops_per_s: a.ops_per_s, native_ops_per_s: b.ops_per_s, ratio: Number(ratio.toFixed(3)) }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
