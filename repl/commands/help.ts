/**
 * `help`: the command list grouped by subsystem, and each command's usage and example.
 */
import { UsageError } from '../parse.js';
import { registerCommand, registerGroup, type CommandContext } from '../registry.js';

registerGroup('repl', 'REPL', 90);

/** Splits text into lines of at most `width` columns at spaces. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out.map((l) => l.trimEnd());
}

/** The text of `help` (every command by group) or `help CMD`. */
export function helpText(ctx: CommandContext, args: string[]): string {
  const { c } = ctx;
  const reg = ctx.session.registry;
  if (args.length === 0) {
    const lines: string[] = [];
    const w = Math.max(...reg.list().map((cmd) => cmd.name.length)) + 2;
    for (const { group, commands } of reg.grouped()) {
      lines.push(c.head(group.title));
      for (const cmd of commands) {
        const [first, ...rest] = wrap(cmd.summary, Math.max(20, ctx.width - w - 2));
        lines.push(`  ${c.bold(cmd.name.padEnd(w))}${first}`);
        for (const r of rest) lines.push(' '.repeat(w + 2) + r);
      }
    }
    lines.push('');
    const tail = [
      "Anything else is TypeScript, with `sys` and every lib export in scope: sys.read('/proc/meminfo').",
      "'help CMD' shows usage and an example; Tab completes; Up/Down walk the history; 'quit' or Ctrl-D leaves.",
    ];
    for (const t of tail) for (const l of wrap(t, ctx.width)) lines.push(c.dim(l));
    return lines.join('\n');
  }
  const word = args[0] === '?' ? 'help' : args[0];
  const cmd = reg.get(word);
  if (!cmd) {
    const near = reg.suggest(word);
    throw new UsageError(`no command '${word}'` + (near.length ? ` (did you mean ${near.join(', ')}?)` : ''));
  }
  const [s0, ...sRest] = wrap(cmd.summary, Math.max(20, ctx.width - cmd.name.length - 3));
  const lines = [`${c.bold(cmd.name)} — ${s0}`, ...sRest.map((l) => ' '.repeat(cmd.name.length + 3) + l), `${c.dim('usage:')}   ${cmd.usage}`];
  const aliases = (cmd.aliases ?? []).filter((a) => reg.get(a) === cmd);
  if (aliases.length) lines.push(`${c.dim('aliases:')} ${aliases.join(', ')}`);
  const opts = cmd.name === 'kmem' ? reg.kmemOptions().map((o) => ({ flag: o.usage, summary: o.summary })) : (cmd.options ?? []);
  if (opts.length) {
    const w = Math.max(...opts.map((o) => o.flag.length)) + 2;
    lines.push(c.dim('options:'));
    const cw = Math.min(w, 24);
    for (const o of opts) {
      const [first, ...rest] = wrap(o.summary, Math.max(20, ctx.width - cw - 2));
      if (o.flag.length >= cw) {
        lines.push(`  ${o.flag}`);
        lines.push(' '.repeat(cw + 2) + first);
      } else lines.push(`  ${o.flag.padEnd(cw)}${first}`);
      for (const r of rest) lines.push(' '.repeat(cw + 2) + r);
    }
  }
  const examples = cmd.name === 'kmem' ? reg.kmemOptions().map((o) => o.example) : [cmd.example];
  const ex = wrap(examples.join('   '), Math.max(20, ctx.width - 9));
  lines.push(`${c.dim('example:')} ${ex[0]}`, ...ex.slice(1).map((l) => ' '.repeat(9) + l));
  lines.push(`${c.dim('group:')}   ${reg.grouped().find((g) => g.group.id === cmd.group)?.group.title ?? cmd.group}`);
  return lines.join('\n');
}

registerCommand({
  name: 'help',
  aliases: ['?'],
  group: 'repl',
  usage: 'help [COMMAND]',
  summary: 'list the commands, or show one command with its usage and an example',
  example: 'help kmem',
  complete: (args, _p, ctx) => (args.length === 0 ? ctx.session.registry.words() : []),
  run: (ctx, args) => helpText(ctx, args),
});
