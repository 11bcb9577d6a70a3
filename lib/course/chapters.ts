/**
 * Chapters: reading `chapters/NN-slug/chapter.md`, its front matter and its blocks.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: the chapter format of chapters/README.md — front matter (`title`, `mirrors`,
 * `covers`), Markdown prose, runnable ```ts blocks, ```exercise ID and ```problem ID
 * blocks, and `:::myth` / `:::experiment` / `:::note` boxes. The same parse feeds the notebook
 * generator, the REPL's `chapter N` and the front-matter checks (seeds and concepts exist).
 * Seeds are found at ../shared/seeds relative to the repository root.
 * See: chapters/README.md.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** One mirrored section of a source document. */
export interface MirrorRef {
  /** File name in the seeds folder, e.g. `002_3e3e2b6c22b55cb1.txt`. */
  seed: string;
  /** A heading or section title that occurs in that document. */
  section: string;
}

/** Front matter of a chapter. */
export interface ChapterMeta {
  title: string;
  mirrors: MirrorRef[];
  covers: string[];
}

/** A piece of a chapter, in reading order. */
export type ChapterBlock =
  | { kind: 'markdown'; text: string }
  | { kind: 'code'; code: string; run: boolean }
  | { kind: 'exercise'; id: string }
  | { kind: 'problem'; id: string; seed: number }
  | { kind: 'box'; box: BoxKind; title: string; blocks: ChapterBlock[] };

/** The boxes a chapter may use. */
export type BoxKind = 'myth' | 'experiment' | 'note';
/** Box kinds with their display labels. */
export const BOX_LABELS: Record<BoxKind, string> = { myth: 'Myth check', experiment: 'Experiment', note: 'Note' };

/** A parsed chapter. */
export interface Chapter {
  /** Folder name, e.g. `03-buddy`. */
  slug: string;
  /** The number from the folder name (3 for `03-buddy`). */
  number: number;
  meta: ChapterMeta;
  blocks: ChapterBlock[];
  /** The Markdown source file's text. */
  source: string;
}

/** Thrown for a malformed chapter, naming the file and line. */
export class ChapterFormatError extends Error {
  constructor(file: string, line: number, message: string) {
    super(`${file}:${line}: ${message}`);
    this.name = 'ChapterFormatError';
  }
}

/** The repository root: the nearest folder upward (from `start`) with mmlab's package.json. */
export function findRepoRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'mmlab') return dir;
      } catch {
        /* not ours; keep looking */
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`mmlab: no repository root (package.json named "mmlab") above ${start}`);
    dir = up;
  }
}

/**
 * The folder of the course documents (`shared/`: seeds, concepts.md): `$MMLAB_SHARED` when set,
 * else `../shared` beside the repository; in a clone of a local checkout (a CI scratch copy),
 * `../shared` beside the repository it was cloned from (remote "origin" in .git/config).
 */
export function sharedDir(root: string = findRepoRoot()): string {
  const env = process.env.MMLAB_SHARED;
  if (env) return resolve(env);
  const beside = resolve(root, '..', 'shared');
  if (existsSync(beside)) return beside;
  const cfg = join(root, '.git', 'config');
  if (existsSync(cfg)) {
    const m = /\[remote "origin"\][^[]*?\burl\s*=\s*(\S+)/.exec(readFileSync(cfg, 'utf8'));
    const origin = m ? m[1].replace(/^file:\/\//, '') : '';
    if (origin.startsWith('/') && existsSync(resolve(origin, '..', 'shared'))) return resolve(origin, '..', 'shared');
  }
  return beside;
}

/** The seeds folder (shared/seeds, see {@link sharedDir}); a clear error when it is missing. */
export function seedsDir(root: string = findRepoRoot()): string {
  const dir = join(sharedDir(root), 'seeds');
  if (!existsSync(dir)) {
    throw new Error(`mmlab: the source documents are missing: expected them in ${dir} (../shared/seeds relative to the repository root ${root}, or set MMLAB_SHARED)`);
  }
  return dir;
}

/** The chapter folders (`NN-slug`) under chapters/, sorted. */
export function listChapterSlugs(root: string = findRepoRoot()): string[] {
  const dir = join(root, 'chapters');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^\d\d-[a-z0-9-]+$/.test(d.name) && existsSync(join(dir, d.name, 'chapter.md')))
    .map((d) => d.name)
    .sort();
}

/** Reads and parses one chapter by slug (`03-buddy`) or number (3). */
export function loadChapter(which: string | number, root: string = findRepoRoot()): Chapter {
  const slugs = listChapterSlugs(root);
  const slug = typeof which === 'number' || /^\d+$/.test(which)
    ? slugs.find((s) => Number(s.slice(0, 2)) === Number(which))
    : slugs.find((s) => s === which || s.slice(3) === which);
  if (!slug) throw new Error(`no chapter ${which} (chapters: ${slugs.join(', ') || 'none'})`);
  const file = join(root, 'chapters', slug, 'chapter.md');
  return parseChapter(readFileSync(file, 'utf8'), slug);
}

/** Every chapter, in order. */
export function loadChapters(root: string = findRepoRoot()): Chapter[] {
  return listChapterSlugs(root).map((s) => loadChapter(s, root));
}

function unquote(s: string): string {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) return t.slice(1, -1);
  return t;
}

/** Parses the front matter block (between `---` lines). */
export function parseFrontMatter(lines: string[], file: string): ChapterMeta {
  const meta: Partial<ChapterMeta> = {};
  let list: 'mirrors' | 'covers' | null = null;
  lines.forEach((line, i) => {
    const ln = i + 2;
    if (!line.trim() || line.trim().startsWith('#')) return;
    const item = /^\s+-\s+(.*)$/.exec(line);
    if (item) {
      if (list === 'mirrors') {
        const m = /^(\S+)\s+§\s+(.+)$/.exec(item[1].trim());
        if (!m) throw new ChapterFormatError(file, ln, `a mirrors entry reads '- FILE § HEADING', got '${item[1]}'`);
        (meta.mirrors ??= []).push({ seed: m[1], section: unquote(m[2]) });
      } else if (list === 'covers') {
        (meta.covers ??= []).push(item[1].trim());
      } else throw new ChapterFormatError(file, ln, 'a list item outside mirrors: or covers:');
      return;
    }
    const kv = /^([a-z]+):\s*(.*)$/.exec(line);
    if (!kv) throw new ChapterFormatError(file, ln, `cannot read front matter line '${line}'`);
    const [, key, value] = kv;
    list = null;
    if (key === 'title') meta.title = unquote(value);
    else if (key === 'mirrors') {
      if (value.trim()) throw new ChapterFormatError(file, ln, 'mirrors: takes a list of "- FILE § HEADING" lines');
      list = 'mirrors';
      meta.mirrors ??= [];
    } else if (key === 'covers') {
      const inline = /^\[(.*)\]$/.exec(value.trim());
      if (inline) meta.covers = inline[1].split(',').map((s) => s.trim()).filter(Boolean);
      else if (!value.trim()) {
        list = 'covers';
        meta.covers ??= [];
      } else throw new ChapterFormatError(file, ln, 'covers: takes [id, id, ...] or a list');
    } else throw new ChapterFormatError(file, ln, `unknown front matter key '${key}' (title, mirrors, covers)`);
  });
  if (!meta.title) throw new ChapterFormatError(file, 1, 'front matter needs a title');
  return { title: meta.title, mirrors: meta.mirrors ?? [], covers: meta.covers ?? [] };
}

/** Parses a chapter's Markdown text. `slug` is its folder name. */
export function parseChapter(source: string, slug: string): Chapter {
  const file = `chapters/${slug}/chapter.md`;
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  if (lines[0] !== '---') throw new ChapterFormatError(file, 1, 'a chapter starts with a --- front matter block');
  const end = lines.indexOf('---', 1);
  if (end < 0) throw new ChapterFormatError(file, 1, 'the front matter block is not closed with ---');
  const meta = parseFrontMatter(lines.slice(1, end), file);
  const root: ChapterBlock[] = [];
  const stack: { blocks: ChapterBlock[]; line: number }[] = [{ blocks: root, line: 0 }];
  let prose: string[] = [];
  const flush = (): void => {
    const text = prose.join('\n').trim();
    if (text) stack[stack.length - 1].blocks.push({ kind: 'markdown', text });
    prose = [];
  };
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i];
    const ln = i + 1;
    const fence = /^(`{3,})\s*(\S*)\s*(.*)$/.exec(line);
    if (fence) {
      const [, ticks, lang, rest] = fence;
      let j = i + 1;
      while (j < lines.length && !(lines[j].startsWith(ticks) && lines[j].trim() === ticks)) j++;
      if (j >= lines.length) throw new ChapterFormatError(file, ln, 'code block not closed');
      const body = lines.slice(i + 1, j).join('\n');
      const target = stack[stack.length - 1].blocks;
      if (lang === 'ts' || lang === 'typescript') {
        flush();
        const flag = rest.trim();
        if (flag && flag !== 'static') throw new ChapterFormatError(file, ln, `unknown ts block flag '${flag}' (only 'static')`);
        target.push({ kind: 'code', code: body.replace(/\s+$/, ''), run: flag !== 'static' });
      } else if (lang === 'exercise') {
        flush();
        const id = rest.trim();
        if (!/^\d\d-[a-z0-9-]+\/[a-z0-9-]+$/.test(id)) throw new ChapterFormatError(file, ln, `an exercise block names an id 'NN-chapter/slug', got '${id}'`);
        target.push({ kind: 'exercise', id });
      } else if (lang === 'problem') {
        flush();
        const m = /^(\d\d-[a-z0-9-]+\/[a-z0-9-]+)(?:\s+(\d+))?$/.exec(rest.trim());
        if (!m) throw new ChapterFormatError(file, ln, `a problem block names 'ID [seed]', got '${rest.trim()}'`);
        target.push({ kind: 'problem', id: m[1], seed: m[2] ? Number(m[2]) : 1 });
      } else {
        prose.push(...lines.slice(i, j + 1));
      }
      i = j;
      continue;
    }
    const open = /^:::\s*(myth|experiment|note)\b\s*(.*)$/.exec(line);
    if (open) {
      flush();
      const box: ChapterBlock = { kind: 'box', box: open[1] as BoxKind, title: open[2].trim(), blocks: [] };
      stack[stack.length - 1].blocks.push(box);
      stack.push({ blocks: box.blocks, line: ln });
      continue;
    }
    if (/^:::\s*$/.test(line)) {
      if (stack.length === 1) throw new ChapterFormatError(file, ln, '::: closes no box');
      flush();
      stack.pop();
      continue;
    }
    if (/^:::/.test(line)) throw new ChapterFormatError(file, ln, `unknown box '${line}' (myth, experiment, note)`);
    prose.push(line);
  }
  if (stack.length > 1) throw new ChapterFormatError(file, stack[stack.length - 1].line, 'box not closed with :::');
  flush();
  return { slug, number: Number(slug.slice(0, 2)), meta, blocks: root, source };
}

/** Every block of a chapter, boxes opened, in order. */
export function flattenBlocks(blocks: ChapterBlock[]): ChapterBlock[] {
  const out: ChapterBlock[] = [];
  for (const b of blocks) {
    out.push(b);
    if (b.kind === 'box') out.push(...flattenBlocks(b.blocks));
  }
  return out;
}

/** One concept row of shared/concepts.md. */
export interface Concept {
  id: string;
  concept: string;
  seeds: string;
  myth: string;
}

/** The concept table (shared/concepts.md next to the seeds, see {@link sharedDir}). */
export function loadConcepts(root: string = findRepoRoot()): Concept[] {
  const file = join(sharedDir(root), 'concepts.md');
  if (!existsSync(file)) throw new Error(`mmlab: the concept list is missing: expected ${file}`);
  const out: Concept[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 6 || cells[1] === 'id' || /^-+$/.test(cells[1]) || !cells[1]) continue;
    out.push({ id: cells[1], concept: cells[2], seeds: cells[3], myth: cells[4] });
  }
  return out;
}

/**
 * Normalises text for heading lookup: typographic quotes and dashes to ASCII, runs of
 * whitespace to one space, lower case.
 */
export function normaliseHeading(s: string): string {
  return s.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/[–—]/g, '-').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Problems found in a chapter's front matter: missing seeds, headings not in the seed, unknown concepts. */
export function checkChapterMeta(ch: Chapter, root: string = findRepoRoot()): string[] {
  const problems: string[] = [];
  const dir = seedsDir(root);
  const concepts = new Set(loadConcepts(root).map((c) => c.id));
  if (!ch.meta.mirrors.length) problems.push(`${ch.slug}: mirrors: is empty`);
  for (const m of ch.meta.mirrors) {
    const f = join(dir, m.seed);
    if (!existsSync(f)) {
      problems.push(`${ch.slug}: mirrored document ${m.seed} is not in ${dir}`);
      continue;
    }
    const lines = readFileSync(f, 'utf8').split('\n').map(normaliseHeading);
    const want = normaliseHeading(m.section);
    // A heading is a whole line of the document (Markdown '#' marks and list bullets ignored).
    const hit = lines.some((l) => l.replace(/^#+\s*/, '').replace(/^[-•]\s*/, '') === want);
    if (!hit) problems.push(`${ch.slug}: heading '${m.section}' is not a line of ${m.seed}`);
  }
  for (const id of ch.meta.covers) if (!concepts.has(id)) problems.push(`${ch.slug}: covers unknown concept '${id}'`);
  return problems;
}

/** Which concept ids some chapter covers, and which none does yet. */
export function conceptCoverage(root: string = findRepoRoot()): { covered: Map<string, string[]>; uncovered: string[] } {
  const covered = new Map<string, string[]>();
  for (const ch of loadChapters(root)) {
    for (const id of ch.meta.covers) covered.set(id, [...(covered.get(id) ?? []), ch.slug]);
  }
  const uncovered = loadConcepts(root).map((c) => c.id).filter((id) => !covered.has(id));
  return { covered, uncovered };
}
