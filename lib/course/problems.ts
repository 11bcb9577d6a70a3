/**
 * Problems (OSTEP-style homework): a seed makes a fresh question; `reveal` shows the answer
 * with the reasoning, step by step, as the simulator worked it out.
 *
 * Mirrors: nothing in the kernel; ours (the course), after OSTEP's simulators (`-s SEED`
 * for a new question, `-c` to compute the answers).
 * Models: formatting of a {@link ProblemInstance} for the terminal and for notebooks.
 * The generators themselves live with their chapter's exercises (lib/course/exercises/).
 * See: chapters/README.md.
 */
import type { ProblemInstance } from './types.js';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A problem as text: the question, and with `reveal` the answer and its steps. */
export function formatProblemText(p: ProblemInstance, reveal = false): string {
  const lines = [`Problem ${p.id} (seed ${p.seed}): ${p.title}`, '', p.question.trimEnd()];
  if (reveal) {
    lines.push('', 'Answer:', ...p.answer.trimEnd().split('\n').map((l) => `  ${l}`), '', 'How:');
    p.steps.forEach((s, i) => lines.push(`  ${String(i + 1).padStart(2)}. ${s}`));
  } else {
    lines.push('', `(run 'reveal' for the answer, or a new seed for another question)`);
  }
  return lines.join('\n');
}

/** The question as an HTML fragment (notebooks); Markdown-light: code spans and line breaks. */
export function formatProblemHtml(p: ProblemInstance): string {
  return `<div style="font-family:sans-serif;font-size:13px;border-left:4px solid #0969da;padding:4px 10px;margin:4px 0">` +
    `<div style="font-weight:bold">Problem ${esc(p.id)} (seed ${p.seed}): ${esc(p.title)}</div>` +
    `<pre style="white-space:pre-wrap;margin:4px 0">${esc(p.question.trimEnd())}</pre></div>`;
}

/** The answer and the reasoning as an HTML fragment (notebooks). */
export function formatRevealHtml(p: ProblemInstance): string {
  const steps = p.steps.map((s) => `<li>${esc(s)}</li>`).join('');
  return `<div style="font-family:sans-serif;font-size:13px;border-left:4px solid #1a7f37;padding:4px 10px;margin:4px 0">` +
    `<div style="font-weight:bold">Answer (${esc(p.id)}, seed ${p.seed})</div>` +
    `<pre style="margin:4px 0">${esc(p.answer.trimEnd())}</pre><ol style="margin:4px 0">${steps}</ol></div>`;
}
