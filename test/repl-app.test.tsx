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
async function type(stdin: { write(s: string): void }, text: string) {
  stdin.write(text);
  await tick();
  stdin.write('\r'); // Enter as its own chunk (Ink treats one chunk as one key event)
  await tick();
}
async function until(frame: () => string | undefined, ok: (f: string) => boolean, ms = 10000) {
  const end = Date.now() + ms;
  while (!ok(frame() ?? '')) {
    if (Date.now() > end) throw new Error(`no match in frame:\n${frame()}`);
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

describe('REPL app', () => {
  it('shows the banner, the prompt and the status bar', async () => {
    const { lastFrame } = start();
    await until(lastFrame, (f) => f.includes('mmlab>'));
    expect(lastFrame()).toContain('mmlab test banner');
    expect(lastFrame()).toContain('tiny');
    expect(lastFrame()).toMatch(/t=0\.000s/);
  });

  it('runs a command and keeps its output in the log', async () => {
    const { lastFrame, stdin } = start();
    await type(stdin, 'help');
    await until(lastFrame, (f) => f.includes('Simulation control'));
    expect(lastFrame()).toContain('mmlab> help');
    await type(stdin, 'tick 250');
    await until(lastFrame, (f) => f.includes('jiffies 250'));
    expect(lastFrame()).toMatch(/t=1\.000s/);
  });

  it('evaluates TypeScript with sys in scope and keeps declarations', async () => {
    const { lastFrame, stdin } = start();
    await type(stdin, 'const n: number = 6 * 7');
    await type(stdin, 'n + 1');
    await until(lastFrame, (f) => f.includes('43'));
    await type(stdin, 'sys.config.preset');
    await until(lastFrame, (f) => f.includes("'tiny'"));
  });

  it('prints errors in one line and keeps going', async () => {
    const { lastFrame, stdin } = start();
    await type(stdin, 'alocpages 3');
    await until(lastFrame, (f) => f.includes('did you mean alloc_pages'));
    await type(stdin, 'tick -5');
    await until(lastFrame, (f) => f.includes('usage: tick [N]'));
    await type(stdin, 'throw new Error("boom")');
    await until(lastFrame, (f) => f.includes('error: boom'));
    await type(stdin, '1 + 1');
    await until(lastFrame, (f) => /\n2\n/.test(f));
  });

  it('walks the history with Up and Down', async () => {
    const { lastFrame, stdin } = start();
    await type(stdin, 'tick 1');
    await type(stdin, 'tick 2');
    await until(lastFrame, (f) => f.includes('jiffies 3'));
    stdin.write('tick 9');
    await tick();
    stdin.write(UP);
    await until(lastFrame, (f) => /mmlab> tick 2\s*\n[^\n]*$/.test(f.trimEnd()) || f.split('\n').some((l) => l.startsWith('mmlab> tick 2') && !l.includes('jiffies')));
    stdin.write(UP);
    await tick();
    stdin.write(UP); // stays at the oldest
    await tick();
    const lines = () => (lastFrame() ?? '').split('\n');
    expect(lines()[lines().length - 2]).toContain('mmlab> tick 1');
    stdin.write(DOWN);
    await tick();
    stdin.write(DOWN); // back to the draft
    await tick();
    expect(lines()[lines().length - 2]).toContain('mmlab> tick 9');
    stdin.write('\r');
    await until(lastFrame, (f) => f.includes('jiffies 12'));
  });

  it('persists the history to the file and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmlab-hist-'));
    const file = join(dir, 'hist');
    writeFileSync(file, 'tick 5\n');
    const h = new History(file);
    expect(h.entries).toEqual(['tick 5']);
    const { lastFrame, stdin } = start({ history: h });
    await type(stdin, 'tick 3');
    await until(lastFrame, (f) => f.includes('jiffies 3'));
    expect(readFileSync(file, 'utf8')).toBe('tick 5\ntick 3\n');
    stdin.write(UP);
    await tick();
    stdin.write(UP);
    await tick();
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines[lines.length - 2]).toContain('mmlab> tick 5');
  });

  it('completes command names, options, presets and sys members with Tab', async () => {
    const { lastFrame, stdin } = start();
    const promptLine = () => (lastFrame() ?? '').split('\n').find((l) => l.startsWith('mmlab> ') && !l.includes('test')) ?? '';
    stdin.write('allo');
    await tick();
    stdin.write(TAB);
    await until(lastFrame, () => promptLine().includes('alloc_pages'));
    stdin.write('\u0015'); // Ctrl-U clears the line
    await tick();
    stdin.write('reset ti');
    await tick();
    stdin.write(TAB);
    await until(lastFrame, () => promptLine().includes('reset tiny'));
    stdin.write('\u0015');
    await tick();
    stdin.write('kmem -');
    await tick();
    stdin.write(TAB);
    await until(lastFrame, (f) => f.includes('-i') && f.includes('-f') && f.includes('-z'));
    stdin.write('\u0015');
    await tick();
    stdin.write('sys.tic');
    await tick();
    stdin.write(TAB);
    await until(lastFrame, () => promptLine().includes('sys.tick'));
  });

  it('runs pasted lines one by one', async () => {
    const { lastFrame, stdin } = start();
    stdin.write('tick 2\rtick 3\r');
    await until(lastFrame, (f) => f.includes('jiffies 5'));
  });

  it('leaves on quit', async () => {
    const { stdin, exited } = start();
    await type(stdin, 'quit');
    await tick(30);
    expect(exited()).toBe(true);
  });

  it('leaves on Ctrl-D on an empty line, and on Ctrl-C twice', async () => {
    const a = start();
    a.stdin.write('\u0004');
    await tick(30);
    expect(a.exited()).toBe(true);
    const b = start();
    b.stdin.write('tick');
    await tick();
    b.stdin.write('\u0003'); // clears the line
    await until(b.lastFrame, (f) => f.includes('Ctrl-C again'));
    expect(b.exited()).toBe(false);
    b.stdin.write('\u0003');
    await tick(30);
    expect(b.exited()).toBe(true);
  });

  it('Ctrl-D on a non-empty line does not insert a letter', async () => {
    const { lastFrame, stdin, exited } = start();
    stdin.write('tick');
    await tick();
    stdin.write('\u0004');
    await tick();
    expect(exited()).toBe(false);
    stdin.write('\r');
    await until(lastFrame, (f) => f.includes('jiffies 1'));
  });
});
