// The `mmlab` command line: argument parsing, the non-interactive runner (-e, run FILE, .ts
// files, piped input), exit status, plain output; and one real process started from source.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import '../repl/commands/index.js';
import { parseArgs, runCli, stripLibImports, USAGE, type CliEnv } from '../repl/cli.js';

function fakeEnv(files: Record<string, string> = {}, stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const env: CliEnv = {
    out: (s) => out.push(s),
    err: (s) => err.push(s),
    readFile: (p) => {
      if (!(p in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[p];
    },
    readStdin: async () => stdin,
    stdinIsTTY: false,
    stdoutIsTTY: false,
    env: {},
  };
  return { env, out, err, text: () => out.join('\n') };
}

describe('parseArgs', () => {
  it('reads presets, configs, seeds and flags', () => {
    expect(parseArgs([]).config).toBe('pc-4g');
    expect(parseArgs(['--preset', 'tiny']).config).toBe('tiny');
    expect(parseArgs(['-p', 'tiny', '--seed', '7']).config).toEqual({ preset: 'tiny', seed: 7 });
    expect(parseArgs(['--config={"memory":"64M"}']).config).toEqual({ memory: '64M' });
    const a = parseArgs(['-e', 'kmem -i', '-e', 'free', '--code', 'run', 'a.cmds', 'b.ts', '-x']);
    expect(a.evals).toEqual(['kmem -i', 'free']);
    expect(a.files).toEqual(['a.cmds', 'b.ts']);
    expect(a.code && a.echo).toBe(true);
  });
  it('refuses bad command lines with one message', () => {
    expect(() => parseArgs(['--preset', 'huge'])).toThrow(/unknown preset 'huge'/);
    expect(() => parseArgs(['-e'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--frobnicate'])).toThrow(/unknown option/);
    expect(() => parseArgs(['--config', '{'])).toThrow(/bad JSON/);
    expect(() => parseArgs(['--seed', '-1'])).toThrow(/not a non-negative integer/);
  });
});

describe('runCli (non-interactive)', () => {
  it('prints help', async () => {
    const f = fakeEnv();
    expect(await runCli(['--help'], f.env)).toBe(0);
    expect(f.text()).toBe(USAGE.trimEnd());
  });

  it('runs -e commands separated by ;, plain text, status 0', async () => {
    const f = fakeEnv();
    expect(await runCli(['--preset', 'tiny', '-e', 'tick 5; tick 5', '-e', 'sys.clock.jiffies'], f.env)).toBe(0);
    expect(f.out).toEqual(['jiffies 5  (0.020000 s since boot)', 'jiffies 10  (0.040000 s since boot)', '10']);
    expect(f.text()).not.toMatch(/\x1b\[/);
    expect(f.err).toEqual([]);
  });

  it('exits 1 when a command failed, and keeps going', async () => {
    const f = fakeEnv();
    expect(await runCli(['-p', 'tiny', '-e', 'tick -1; tick 2'], f.env)).toBe(1);
    expect(f.err.join('\n')).toMatch(/tick: jiffies: '-1' is not a non-negative integer/);
    expect(f.out).toEqual(['jiffies 2  (0.008000 s since boot)']);
  });

  it('exits 2 on a bad command line', async () => {
    const f = fakeEnv();
    expect(await runCli(['--nope'], f.env)).toBe(2);
    expect(f.err[0]).toMatch(/^mmlab: unknown option/);
  });

  it('runs a command file with line numbers in errors, and stops at quit', async () => {
    const f = fakeEnv({ 'a.mm': '# comment\ntick 1\n\nbogus_cmd 3\nquit\ntick 100\n' });
    expect(await runCli(['-p', 'tiny', 'run', 'a.mm'], f.env)).toBe(1);
    expect(f.out).toEqual(['jiffies 1  (0.004000 s since boot)']);
    expect(f.err[0]).toMatch(/^a\.mm:4: error: unknown command 'bogus_cmd'/);
  });

  it('evaluates a .ts file against sys (lib imports are dropped: lib is in scope)', async () => {
    const src = "import { createSystem } from '../lib/index.js';\nconst n: number = 3;\nsys.tick(n);\nconsole.log('jiffies', sys.clock.jiffies);\n";
    const f = fakeEnv({ 'x.ts': src });
    expect(await runCli(['-p', 'tiny', 'run', 'x.ts'], f.env)).toBe(0);
    expect(f.out).toEqual(['jiffies 3']);
    const g = fakeEnv({ 'bad.ts': 'throw new RangeError("nope")' });
    expect(await runCli(['-p', 'tiny', 'bad.ts'], g.env)).toBe(1);
    expect(g.err[0]).toBe('bad.ts: RangeError: nope');
    expect(stripLibImports("import { a } from './lib/index.js';\nx")).toBe('\nx');
  });

  it('reads commands from piped stdin', async () => {
    const f = fakeEnv({}, 'tick 4\ncode on\ntick 1\n');
    expect(await runCli(['-p', 'tiny'], f.env)).toBe(0);
    expect(f.out).toEqual(['jiffies 4  (0.016000 s since boot)', 'code on', '// TS: sys.tick(1)\njiffies 5  (0.020000 s since boot)']);
  });

  it('echoes commands with -x and prints the TypeScript with --code', async () => {
    const f = fakeEnv();
    await runCli(['-p', 'tiny', '-x', '--code', '-e', 'tick 2'], f.env);
    expect(f.out).toEqual(['mmlab> tick 2', '// TS: sys.tick(2)\njiffies 2  (0.008000 s since boot)']);
  });

  it('reports an unreadable file', async () => {
    const f = fakeEnv();
    expect(await runCli(['run', 'missing.mm'], f.env)).toBe(1);
    expect(f.err[0]).toBe('mmlab: cannot read missing.mm: ENOENT');
  });

  it('starts the interactive REPL only on a terminal without a script', async () => {
    const f = fakeEnv();
    let started = 0;
    f.env.stdinIsTTY = true;
    f.env.stdoutIsTTY = true;
    f.env.interactive = async () => ++started;
    expect(await runCli(['-p', 'tiny'], f.env)).toBe(1);
    expect(await runCli(['-p', 'tiny', '-e', 'tick'], f.env)).toBe(0);
    expect(started).toBe(1);
    f.env.stdoutIsTTY = false; // `mmlab | less`: commands come from the keyboard as a script
    expect(await runCli(['-p', 'tiny'], f.env)).toBe(0);
    expect(started).toBe(1);
  });
});

describe('the mmlab process', () => {
  it('runs from source with -e and sets the exit status', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'repl/main.tsx', '--preset', 'tiny', '-e', 'tick 3; nope_cmd'], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 30_000,
    });
    expect(r.stdout).toBe('jiffies 3  (0.012000 s since boot)\n');
    expect(r.stderr).toMatch(/unknown command 'nope_cmd'/);
    expect(r.status).toBe(1);
  });
});
