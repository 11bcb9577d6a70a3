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
  return out;
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
  const lines = [`${c.bold(cmd.name)} — ${cmd.summary}`, `${c.dim('usage:')}   ${cmd.usage}`];
  if (cmd.aliases?.length) lines.push(`${c.dim('aliases:')} ${cmd.aliases.join(', ')}`);
  const opts = cmd.name === 'kmem' ? reg.kmemOptions().map((o) => ({ flag: o.usage, summary: o.summary })) : (cmd.options ?? []);
  if (opts.length) {
    const w = Math.max(...opts.map((o) => o.flag.length)) + 2;
    lines.push(c.dim('options:'));
    for (const o of opts) lines.push(`  ${o.flag.padEnd(w)}${o.summary}`);
  }
  const examples = cmd.name === 'kmem' ? reg.kmemOptions().map((o) => o.example) : [cmd.example];
  lines.push(`${c.dim('example:')} ${examples.join('   ')}`);
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
