/**
 * The course in the REPL (`chapter`, `problem`, `reveal`, `grade`), the synchronous grader it
 * uses, the terminal rendering of chapters, and checks that the buddy exercises' oracles agree
 * with the simulator's own merging and splitting.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../repl/commands/index.js';
import { Session } from '../repl/session.js';
import { createSystem, GFP_HIGHUSER_MOVABLE } from '../lib/index.js';
import { chapterTerminalMarkdown, getExercise, gradeExerciseSync, loadChapter } from '../lib/course/index.js';
import { renderTerminal } from '../lib/course/terminal.js';
import { __find_buddy_pfn } from '../lib/course/exercises/03-buddy.js';

const SOL = join(process.cwd(), 'test', 'solutions');
const run = (s: Session, line: string) => {
  const r = s.exec(line);
  return { text: r.map((x) => x.text).join('\n'), ok: r.every((x) => x.ok) };
};

describe('REPL course commands', () => {
  it('chapter lists and renders chapters as terminal text', () => {
    const s = new Session();
    const list = run(s, 'chapter');
    expect(list.text).toMatch(/03 {2}The buddy allocator/);
    const ch = run(s, 'chapter 3');
    expect(ch.ok).toBe(true);
    expect(ch.text).toContain('THE BUDDY ALLOCATOR');
    expect(ch.text).toContain('grade 03-buddy/find-buddy FILE');
    expect(run(s, 'chapter 99').ok).toBe(false);
  });
  it('problem asks, reveal answers step by step, the same seed repeats', () => {
    const s = new Session();
    expect(run(s, 'reveal').ok).toBe(false);
    const q = run(s, 'problem 03-buddy/split 4');
    expect(q.text).toContain("run 'reveal'");
    expect(run(s, 'problem 03-buddy/split 4').text).toBe(q.text);
    const a = run(s, 'reveal');
    expect(a.text).toMatch(/Answer:/);
    expect(a.text).toMatch(/How:\n +1\. /);
    expect(run(s, 'problem nope/nope').ok).toBe(false);
  });
  it('grade grades a file; grade --list lists the exercises', () => {
    const s = new Session();
    const good = run(s, `grade 03-buddy/find-buddy ${join(SOL, '03-buddy', 'find-buddy.ts')}`);
    expect(good.text).toMatch(/Score 8\/8 \(100 %\)/);
    const bad = run(s, `grade 03-buddy/find-buddy ${join(SOL, '03-buddy', 'find-buddy.wrong-always-above.ts')}`);
    expect(bad.text).toMatch(/FAIL +upper halves/);
    expect(run(s, 'grade --list').text).toContain('02-zones/watermarks');
    expect(run(s, 'grade 03-buddy/find-buddy /no/such/file.ts').ok).toBe(false);
  });
});

describe('synchronous grading', () => {
  it('scores like the asynchronous grader and survives an endless loop', () => {
    const ex = getExercise('03-buddy/find-buddy');
    expect(gradeExerciseSync(ex, 'export default function f(p: number, o: number) { return p ^ (1 << o); }').percent).toBe(100);
    const t0 = Date.now();
    const r = gradeExerciseSync(ex, 'export default function f() { for (;;) {} }', { timeoutMs: 300 });
    expect(r.percent).toBe(0);
    expect(r.tests[0].message).toMatch(/too long/);
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});

describe('terminal rendering', () => {
  it('renders headings, boxes, code and tables without colour codes when colour is off', () => {
    const text = renderTerminal(chapterTerminalMarkdown(loadChapter(2)), { width: 80 });
    expect(text).not.toMatch(/\u001b\[/);
    expect(text).toContain('│ Myth check — DMA32 lies below 16 MiB');
    expect(text).toMatch(/ {4}import \{ createSystem \}/);
    expect(text).toMatch(/GFP_KERNEL.*│.*0xcc0/);
    for (const line of text.split('\n')) if (!line.startsWith('    ') && !line.includes('│') && !line.startsWith('  ')) expect(line.length, line).toBeLessThanOrEqual(80);
    expect(renderTerminal('# T\n\n**b** and `c`', { color: true })).toMatch(/\u001b\[1m/);
  });
});

describe('the buddy oracles agree with the simulator', () => {
  it('a freed block merges with the buddy find_buddy names', () => {
    const sys = createSystem('tiny');
    let checked = 0;
    for (let i = 0; i < 40 && checked < 4; i++) {
      const order = 4 + (i % 4);
      const a = sys.alloc_pages(GFP_HIGHUSER_MOVABLE, order)!;
      const buddy = __find_buddy_pfn(a.pfn, order);
      const fb = sys.buddy.free_block_of(buddy);
      if (!fb || fb.pfn !== buddy || fb.order !== order) continue;
      sys.__free_pages(a, order);
      const merged = sys.buddy.free_block_of(a.pfn)!;
      expect(merged.order).toBeGreaterThan(order);
      expect(merged.pfn).toBe(merged.pfn & ~((1 << merged.order) - 1));
      expect(merged.pfn).toBeLessThanOrEqual(Math.min(a.pfn, buddy));
      expect(merged.pfn + (1 << merged.order)).toBeGreaterThanOrEqual(Math.max(a.pfn, buddy) + (1 << order));
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });
});
