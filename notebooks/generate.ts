/**
 * Writes notebooks/NN-slug.ipynb for every chapter (chapters/NN-slug/chapter.md).
 *   npm run notebooks            regenerate all
 *   npm run notebooks -- --check exit 1 when a committed notebook differs from its chapter
 * The conversion itself is lib/course/notebook.ts (chapterNotebook).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findRepoRoot, loadChapters } from '../lib/course/chapters.js';
import { chapterNotebook } from '../lib/course/notebook.js';

const root = findRepoRoot();
const check = process.argv.includes('--check');
let stale = 0;
for (const ch of loadChapters(root)) {
  const file = join(root, 'notebooks', `${ch.slug}.ipynb`);
  const text = chapterNotebook(ch);
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (old === text) continue;
  if (check) {
    console.log(`out of date: notebooks/${ch.slug}.ipynb (run npm run notebooks)`);
    stale++;
  } else {
    writeFileSync(file, text);
    console.log(`wrote notebooks/${ch.slug}.ipynb`);
  }
}
process.exitCode = stale ? 1 : 0;
