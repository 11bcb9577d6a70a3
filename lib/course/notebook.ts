/**
 * The notebook generator: a chapter becomes a Jupyter notebook (kernel "tslab"), and the
 * terminal form of a chapter for the REPL.
 *
 * Mirrors: nothing in the kernel; ours (the course).
 * Models: Markdown prose → markdown cells; runnable ```ts blocks → code cells; ```ts static
 * blocks stay Markdown; boxes (myth check, experiment, note) → a quoted markdown cell and
 * their code cells; ```exercise ID → the prompt, then a code cell with the starter and a
 * `grade` call; ```problem ID → a `problem(...)` cell and a `reveal()` cell. The output is
 * deterministic (cell ids from the chapter and position), so the committed notebooks can be
 * compared with a fresh generation. notebooks/generate.ts writes the files.
 * See: chapters/README.md, notebooks/README.md.
 */
import { BOX_LABELS, type Chapter, type ChapterBlock } from './chapters.js';
import { getExercise } from './catalog.js';
import { exercisePoints } from './grader.js';
import type { Exercise } from './types.js';

/** A notebook cell as nbformat 4 stores it. */
interface Cell {
  cell_type: 'markdown' | 'code';
  id: string;
  metadata: Record<string, unknown>;
  source: string[];
  execution_count?: null;
  outputs?: unknown[];
}


/** The import cell every generated notebook starts with. */
export const SETUP_CELL = [
  '// Setup: run this cell first. Cells run from the repository root (see notebooks/README.md).',
  "import { show, grade, problem, reveal } from './notebooks/show.js';",
].join('\n');

/** Splits text into nbformat source lines (each keeps its newline, the last has none). */
function sourceLines(text: string): string[] {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l));
}

/** The starter's function name, from `export default function NAME(`. */
export function starterFunctionName(ex: Exercise): string {
  const m = /^export default function ([A-Za-z_$][\w$]*)\s*\(/m.exec(ex.starter);
  if (!m) throw new Error(`${ex.id}: the starter must contain 'export default function NAME(...)'`);
  return m[1];
}

/** The Markdown introducing an exercise (prompt, signature, points, hints folded). */
export function exerciseMarkdown(ex: Exercise, opts: { html: boolean } = { html: true }): string {
  const hints = ex.hints.map((h, i) => `${i + 1}. ${h}`).join('\n');
  const parts = [
    `### Exercise \`${ex.id}\`: ${ex.title} (${exercisePoints(ex)} points)`,
    '',
    ex.prompt.trim(),
    '',
    `Signature: \`${ex.signature}\``,
  ];
  if (hints) {
    parts.push('');
    if (opts.html) parts.push('<details><summary>Hints</summary>', '', hints, '', '</details>');
    else parts.push('Hints:', '', hints);
  }
  return parts.join('\n');
}

/** The code cell of an exercise: the starter as a plain function, then the grade call. */
export function exerciseCode(ex: Exercise): string {
  const name = starterFunctionName(ex);
  const body = ex.starter.replace(/^export default function /m, 'function ').replace(/\s+$/, '');
  return [
    `// Exercise ${ex.id}: write your solution, then run the cell to grade it.`,
    '// Keep everything inside the function: only its source is sent to the grader.',
    body,
    '',
    `await grade('${ex.id}', ${name});`,
  ].join('\n');
}

function boxQuote(title: string, kind: keyof typeof BOX_LABELS, text: string): string {
  const head = `**${BOX_LABELS[kind]}${title ? ` — ${title}` : ''}**`;
  const body = text ? '\n>\n' + text.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n') : '';
  return `> ${head}${body}`;
}

function staticFence(code: string): string {
  return '```ts\n' + code + '\n```';
}

/** Builds the notebook of a chapter; returns the .ipynb text (stable, ends with a newline). */
export function chapterNotebook(ch: Chapter): string {
  const cells: Cell[] = [];
  const md = (text: string): void => {
    const last = cells[cells.length - 1];
    // Consecutive Markdown joins into one cell.
    if (last && last.cell_type === 'markdown' && !last.metadata.box) {
      last.source = sourceLines(last.source.join('') + '\n\n' + text);
    } else cells.push({ cell_type: 'markdown', id: '', metadata: {}, source: sourceLines(text) });
  };
  const boxMd = (text: string): void => {
    cells.push({ cell_type: 'markdown', id: '', metadata: { box: true }, source: sourceLines(text) });
  };
  const code = (text: string): void => {
    cells.push({ cell_type: 'code', id: '', metadata: {}, source: sourceLines(text), execution_count: null, outputs: [] });
  };
  md(`# ${ch.number.toString().padStart(2, '0')} · ${ch.meta.title}`);
  code(SETUP_CELL);
  const emit = (blocks: ChapterBlock[]): void => {
    for (const b of blocks) {
      switch (b.kind) {
        case 'markdown':
          md(b.text);
          break;
        case 'code':
          if (b.run) code(b.code);
          else md(staticFence(b.code));
          break;
        case 'exercise': {
          const ex = getExercise(b.id);
          md(exerciseMarkdown(ex));
          code(exerciseCode(ex));
          break;
        }
        case 'problem':
          md(`**Problem \`${b.id}\`** (seed ${b.seed}): read the question, work it out, then run the next cell for the answer and the reasoning. Change the seed for a fresh question.`);
          code(`problem('${b.id}', ${b.seed});`);
          code('reveal();');
          break;
        case 'box': {
          // The box's leading prose goes inside the quote; its code cells follow.
          const [first, ...rest] = b.blocks;
          const lead = first && first.kind === 'markdown' ? first.text : '';
          boxMd(boxQuote(b.title, b.box, lead));
          emit(first && first.kind === 'markdown' ? rest : b.blocks);
          break;
        }
      }
    }
  };
  emit(ch.blocks);
  cells.forEach((c, i) => {
    c.id = `${ch.slug}-${String(i).padStart(3, '0')}`;
    delete c.metadata.box;
  });
  const nb = {
    cells,
    metadata: {
      kernelspec: { display_name: 'TypeScript (tslab)', language: 'typescript', name: 'tslab' },
      language_info: { codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true }, file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript', version: '5.0' },
      mmlab: { chapter: ch.slug, generated: 'npm run notebooks (notebooks/generate.ts): edit chapters/' + ch.slug + '/chapter.md, not this file' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(nb, null, 1) + '\n';
}

/** The chapter as one Markdown document for the terminal (REPL `chapter N`). */
export function chapterTerminalMarkdown(ch: Chapter): string {
  const out: string[] = [`# ${ch.number.toString().padStart(2, '0')} · ${ch.meta.title}`];
  const emit = (blocks: ChapterBlock[]): void => {
    for (const b of blocks) {
      switch (b.kind) {
        case 'markdown':
          out.push(b.text);
          break;
        case 'code':
          out.push(staticFence(b.code));
          break;
        case 'exercise': {
          const ex = getExercise(b.id);
          out.push(exerciseMarkdown(ex, { html: false }));
          out.push(staticFence(ex.starter.trimEnd()));
          out.push(`Save the function in a file and grade it: \`grade ${ex.id} FILE\` (or \`npm run grade -- ${ex.id} FILE\`).`);
          break;
        }
        case 'problem':
          out.push(`**Problem:** \`problem ${b.id} ${b.seed}\` asks a fresh question; \`reveal\` shows the answer step by step.`);
          break;
        case 'box': {
          const [first, ...rest] = b.blocks;
          const lead = first && first.kind === 'markdown' ? first.text : '';
          out.push(boxQuote(b.title, b.box, lead));
          emit(first && first.kind === 'markdown' ? rest : b.blocks);
          break;
        }
      }
    }
  };
  emit(ch.blocks);
  return out.join('\n\n') + '\n';
}
