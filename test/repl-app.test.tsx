// The interactive REPL driven through ink-testing-library: prompt, output log, history (and
// its file), Tab completion, errors, Ctrl-C/Ctrl-D, pasted lines, the status bar.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../repl/App.js';
import '../repl/commands/index.js';
import { History } from '../repl/history.js';
import { Session } from '../repl/session.js';

const tick = (ms = 15) => new Promise((r) => setTimeout(r, ms));
type Frame = () => string | undefined;
/** The prompt line (the last line starting with the prompt). */
function promptLine(frame: Frame): string {
  const lines = (frame() ?? '').split('\n').filter((l) => l.startsWith('mmlab>'));
  return lines[lines.length - 1] ?? '';
}
/**
 * Types `text`, waits until the prompt shows it (so TextInput has re-rendered with it), then
 * sends Enter as its own chunk (Ink treats one chunk as one key event).
 */
async function type(r: { stdin: { write(s: string): void }; lastFrame: Frame }, text: string) {
  r.stdin.write(text);
  await until(r.lastFrame, () => promptLine(r.lastFrame).trimEnd() === `mmlab> ${text}`.trimEnd());
  await tick(40); // TextInput subscribes its new key handler after the render
  r.stdin.write('\r');
  await tick(20);
}
async function until(frame: () => string | undefined, ok: (f: string) => boolean, ms = 10000) {
  const end = Date.now() + ms;
  while (!ok(frame() ?? '')) {
    if (Date.now() > end) throw new Error(`no match in frame:\n${frame()}`);
    await tick(10);
  }
}
async function waitFor(ok: () => boolean, ms = 10000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await tick(10);
  }
}
const UP = '\u001B[A';
const DOWN = '\u001B[B';
const TAB = '\t';

let cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup) f();
  cleanup = [];
});

function start(opts: { history?: History; preset?: string } = {}) {
  const session = new Session({ config: opts.preset ?? 'tiny', width: 80 });
  const history = opts.history ?? new History(null);
  let exited = false;
  const r = render(<App session={session} history={history} banner="mmlab test banner" onExit={() => (exited = true)} />);
  cleanup.push(() => r.unmount());
  return { ...r, session, history, exited: () => exited };
}

/** Starts the app and waits until its prompt is up and listening. */
async function started(opts: { history?: History } = {}) {
  const r = start(opts);
  await until(r.lastFrame, (f) => f.includes('mmlab>'));
  await tick(30);
  return r;
}

describe('REPL app', () => {
  it('shows the banner, the prompt and the status bar', async () => {
    const { lastFrame } = await started();
    await until(lastFrame, (f) => f.includes('mmlab>'));
    expect(lastFrame()).toContain('mmlab test banner');
    expect(lastFrame()).toContain('tiny');
    expect(lastFrame()).toMatch(/t=0\.000s/);
  });

  it('runs a command and keeps its output in the log', async () => {
    const r = await started();
    const { lastFrame, stdin } = r;
    await type(r, 'help');
    await until(lastFrame, (f) => f.includes('Simulation control'));
    expect(lastFrame()).toContain('mmlab> help');
    await type(r, 'tick 250');
    await until(lastFrame, (f) => f.includes('jiffies 250'));
    expect(lastFrame()).toMatch(/t=1\.000s/);
  });

  it('evaluates TypeScript with sys in scope and keeps declarations', async () => {
    const r = await started();
    const { lastFrame, stdin } = r;
    await type(r, 'const n: number = 6 * 7');
    await type(r, 'n + 1');
    await until(lastFrame, (f) => f.includes('43'));
    await type(r, 'sys.config.preset');
    await until(lastFrame, (f) => f.includes("'tiny'"));
  });

  it('prints errors in one line and keeps going', async () => {
    const r = await started();
    const { lastFrame, stdin } = r;
    await type(r, 'alocpages 3');
    await until(lastFrame, (f) => f.includes('did you mean alloc_pages'));
    await type(r, 'tick -5');
    await until(lastFrame, (f) => f.includes('usage: tick [N]'));
    await type(r, 'throw new Error("boom")');
    await until(lastFrame, (f) => f.includes('error: boom'));
    await type(r, '1 + 1');
    await until(lastFrame, (f) => /\n2\n/.test(f));
  });

  it('runs a command of every group through the app', async () => {
    const r = await started();
    const { lastFrame } = r;
    const steps: [string, RegExp][] = [
      ['kmem -i', /TOTAL MEM\s+\d+/],
      ['cat /proc/buddyinfo', /Node 0, zone\s+DMA/],
      ['sysctl vm.min_free_kbytes', /vm\.min_free_kbytes = \d+/],
      ['free -m', /Mem:\s+\d+/],
      ['alloc_pages 1 GFP_KERNEL', /\$1 = pfn 0x[0-9a-f]+/],
      ['code on', /code on/],
      ['__free_pages $1', /TS: sys\.__free_pages\(\$1, 1\)/],
      ['undo', /undone: __free_pages \$1/],
      ['show zones', /zone DMA/],
      ['trace on', /tracing on/],
      ['validate', /every invariant holds/],
    ];
    for (const [cmd, re] of steps) {
      await type(r, cmd);
      await until(lastFrame, (f) => re.test(f.slice(f.lastIndexOf(`mmlab> ${cmd}`))));
    }
  });

  it('walks the history with Up and Down', async () => {
    const r = await started();
    const { lastFrame, stdin } = r;
    const shows = async (t: string) => {
      await until(lastFrame, () => promptLine(lastFrame).trimEnd() === `mmlab> ${t}`);
      await tick(40);
    };
    await type(r, 'tick 1');
    await type(r, 'tick 2');
    await until(lastFrame, (f) => f.includes('jiffies 3'));
    stdin.write('tick 9');
    await shows('tick 9');
    stdin.write(UP);
    await shows('tick 2');
    stdin.write(UP);
    await shows('tick 1');
    stdin.write(UP); // stays at the oldest
    await tick(50);
    await shows('tick 1');
    stdin.write(DOWN);
    await shows('tick 2');
    stdin.write(DOWN); // back to the draft
    await shows('tick 9');
    await tick(20);
    stdin.write('\r');
    await until(lastFrame, (f) => f.includes('jiffies 12'));
  });

  it('persists the history to the file and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmlab-hist-'));
    const file = join(dir, 'hist');
    writeFileSync(file, 'tick 5\n');
    const h = new History(file);
    expect(h.entries).toEqual(['tick 5']);
    const r = await started({ history: h });
    const { lastFrame, stdin } = r;
    await type(r, 'tick 3');
    await until(lastFrame, (f) => f.includes('jiffies 3'));
    expect(readFileSync(file, 'utf8')).toBe('tick 5\ntick 3\n');
    stdin.write(UP);
    await until(lastFrame, () => promptLine(lastFrame).trimEnd() === 'mmlab> tick 3');
    stdin.write(UP);
    await until(lastFrame, () => promptLine(lastFrame).trimEnd() === 'mmlab> tick 5');
  });

  it('completes command names, options, presets and sys members with Tab', async () => {
    const { lastFrame, stdin } = await started();
    // After the frame shows the line, give TextInput time to subscribe its new key handler.
    const shows = async (t: string) => {
      await until(lastFrame, () => promptLine(lastFrame).trimEnd() === `mmlab> ${t}`.trimEnd());
      await tick(40);
    };
    const clear = async () => {
      stdin.write('\u0015'); // Ctrl-U clears the line
      await shows('');
    };
    stdin.write('allo');
    await shows('allo');
    stdin.write(TAB);
    await shows('alloc_pages ');
    await clear();
    stdin.write('reset ti');
    await shows('reset ti');
    stdin.write(TAB);
    await shows('reset tiny ');
    await clear();
    stdin.write('kmem -');
    await shows('kmem -');
    stdin.write(TAB);
    await until(lastFrame, (f) => /-f\s+-g\s+-i/.test(f));
    await clear();
    stdin.write('sys.tic');
    await shows('sys.tic');
    stdin.write(TAB);
    await shows('sys.tick');
  });

  it('runs pasted lines one by one', async () => {
    const r = await started();
    const { lastFrame, stdin } = r;
    stdin.write('tick 2\rtick 3\r');
    await until(lastFrame, (f) => f.includes('jiffies 5'));
    stdin.write('\u000ctick\u0001 4\r'); // control characters in pasted text are dropped
    await until(lastFrame, (f) => f.includes('jiffies 9'));
  });

  it('leaves on quit', async () => {
    const r = await started();
    const { exited } = r;
    await type(r, 'quit');
    await waitFor(exited);
  });

  it('leaves on Ctrl-D on an empty line, and on Ctrl-C twice', async () => {
    const a = await started();
    a.stdin.write('\u0004');
    await waitFor(a.exited);
    const b = await started();
    b.stdin.write('tick');
    await until(b.lastFrame, () => promptLine(b.lastFrame).trimEnd() === 'mmlab> tick');
    b.stdin.write('\u0003'); // clears the line
    await until(b.lastFrame, (f) => f.includes('Ctrl-C again'));
    expect(b.exited()).toBe(false);
    b.stdin.write('\u0003');
    await waitFor(b.exited);
  });

  it('Ctrl-D on a non-empty line does not insert a letter', async () => {
    const r = await started();
    const { lastFrame, stdin, exited } = r;
    stdin.write('tick');
    await until(lastFrame, () => promptLine(lastFrame).trimEnd() === 'mmlab> tick');
    stdin.write('\u0004');
    await tick(100);
    expect(exited()).toBe(false);
    expect(promptLine(lastFrame).trimEnd()).toBe('mmlab> tick');
    stdin.write('\r');
    await until(lastFrame, (f) => f.includes('jiffies 1'));
  });
});
