/**
 * The committed notebooks are what the generator makes from the chapters today (run
 * `npm run notebooks` after editing a chapter). Executing them is test/run-notebooks.py
 * (`npm run test:notebooks`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterNotebook, listChapterSlugs, loadChapter } from '../lib/course/index.js';

describe.each(listChapterSlugs())('notebooks/%s.ipynb', (slug) => {
  const file = join(process.cwd(), 'notebooks', `${slug}.ipynb`);
  it('is committed and up to date with its chapter', () => {
    expect(existsSync(file), `${file} missing: run npm run notebooks`).toBe(true);
    const fresh = chapterNotebook(loadChapter(slug));
    expect(readFileSync(file, 'utf8') === fresh, `notebooks/${slug}.ipynb is out of date: run npm run notebooks`).toBe(true);
  });
  it('uses the tslab kernel and imports from the repository root', () => {
    const nb = JSON.parse(readFileSync(file, 'utf8'));
    expect(nb.metadata.kernelspec.name).toBe('tslab');
    const code = nb.cells.filter((c: { cell_type: string }) => c.cell_type === 'code').map((c: { source: string[] }) => c.source.join(''));
    expect(code[0]).toContain("from './notebooks/show.js'");
    for (const src of code) expect(src).not.toMatch(/from '\.\.\/lib/);
  });
});
