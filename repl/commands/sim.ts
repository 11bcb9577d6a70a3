/**
 * Simulation control: reset, undo, seed, tick, trace, validate, and the REPL's own settings
 * (code, timeout, quit).
 */
import { TraceBuffer } from '../../lib/base/trace.js';
import { HZ, PRESETS, type SystemConfig } from '../../lib/index.js';
import { parseUint, UsageError } from '../parse.js';
import { registerCommand, registerGroup, registry, type Command, type CommandContext } from '../registry.js';

registerGroup('sim', 'Simulation control', 40);

/** Reads `reset`'s argument: a preset name or a JSON config. */
function parseConfig(text: string): SystemConfig | string {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      return JSON.parse(t) as SystemConfig;
    } catch (e) {
      throw new UsageError(`bad JSON config: ${(e as Error).message}`);
    }
  }
  const word = t.replace(/^['"]|['"]$/g, '');
  if (!PRESETS[word]) throw new UsageError(`unknown preset '${word}' (presets: ${Object.keys(PRESETS).join(', ')})`);
  return word;
}

/** A one-line description of the current machine. */
export function machineLine(ctx: CommandContext): string {
  const cfg = ctx.sys.config;
  const mem = cfg.memory >= 2 ** 30 ? `${+(cfg.memory / 2 ** 30).toFixed(1)} GiB` : `${+(cfg.memory / 2 ** 20).toFixed(1)} MiB`;
  const swap = cfg.swap ? `, swap ${cfg.swap >= 2 ** 30 ? `${cfg.swap / 2 ** 30} GiB` : `${cfg.swap / 2 ** 20} MiB`}` : '';
  return `${cfg.preset}: ${cfg.arch}${cfg.pae ? ' PAE' : ''}, ${mem} RAM, ${cfg.nodes.length} node${cfg.nodes.length > 1 ? 's' : ''}, ${cfg.cpus} CPU${cfg.cpus > 1 ? 's' : ''}${swap}, seed ${cfg.seed}`;
}

registerCommand({
  name: 'reset',
  group: 'sim',
  usage: 'reset [PRESET | JSON-CONFIG]',
  summary: 'boot a fresh machine (the same one, a preset, or a config)',
  example: 'reset tiny',
  rawArgs: true,
  mutates: true,
  complete: (args) => (args.length === 0 ? Object.keys(PRESETS) : []),
  run(ctx, args) {
    const s = ctx.session;
    const config = args.length ? parseConfig(args[0]) : s.config;
    s.reset(config);
    return { text: `booted ${machineLine(s.context())}`, code: `sys = createSystem(${JSON.stringify(config)})` };
  },
});

registerCommand({
  name: 'seed',
  group: 'sim',
  usage: 'seed N',
  summary: 'boot the same machine again with another seed',
  example: 'seed 42',
  mutates: true,
  run(ctx, args) {
    const n = parseUint(args[0], 'seed', 0xffffffff);
    const s = ctx.session;
    const cur = s.config;
    const config: SystemConfig = typeof cur === 'string' ? { preset: cur, seed: n } : { ...cur, seed: n };
    s.reset(config);
    return { text: `booted ${machineLine(s.context())}`, code: `sys = createSystem(${JSON.stringify(config)})` };
  },
});

registerCommand({
  name: 'undo',
  group: 'sim',
  usage: 'undo',
  summary: 'take back the last change (reboot and replay all but the last change)',
  example: 'undo',
  run(ctx, args) {
    if (args.length) throw new UsageError('takes no arguments');
    const s = ctx.session;
    const t0 = performance.now();
    const last = s.undo();
    const ms = performance.now() - t0;
    return `undone: ${ctx.c.bold(last)}  ${ctx.c.dim(`(rebooted and replayed ${s.log.length} command${s.log.length === 1 ? '' : 's'} in ${ms.toFixed(0)} ms)`)}`;
  },
});

registerCommand({
  name: 'tick',
  group: 'sim',
  usage: 'tick [N]',
  summary: `advance simulated time by N jiffies (default 1, HZ=${HZ}); timers such as kswapd run`,
  example: `tick ${HZ}`,
  mutates: true,
  run(ctx, args) {
    const n = args.length ? parseUint(args[0], 'jiffies', 10_000_000) : 1;
    if (args.length > 1) throw new UsageError('too many arguments');
    ctx.sys.tick(n);
    const clk = ctx.sys.clock;
    return { text: `jiffies ${clk.jiffies}  (${clk.seconds().toFixed(6)} s since boot)`, code: `sys.tick(${n})` };
  },
});

const TRACE_SUBS = ['on', 'off', 'show', 'clear'];
registerCommand({
  name: 'trace',
  group: 'sim',
  usage: 'trace [on | off | show [N] | clear]',
  summary: 'record tracepoint events (mm_page_alloc, mm_page_free, ...) and show the last N',
  example: 'trace on; alloc_pages 2; trace show',
  options: [
    { flag: 'on', summary: 'start recording' },
    { flag: 'off', summary: 'stop recording' },
    { flag: 'show [N]', summary: 'print the last N events (default 20), like /sys/kernel/tracing/trace' },
    { flag: 'clear', summary: 'forget the recorded events' },
  ],
  mutates: (args) => args[0] === 'on' || args[0] === 'off' || args[0] === 'clear',
  complete: (args) => (args.length === 0 ? TRACE_SUBS : []),
  run(ctx, args) {
    const tr = ctx.sys.trace;
    const sub = args[0];
    if (sub === undefined) {
      return `tracing ${tr.enabled ? ctx.c.green('on') : 'off'}, ${tr.last().length} event(s) in the ring (size ${tr.size})`;
    }
    if (args.length > (sub === 'show' ? 2 : 1)) throw new UsageError('too many arguments');
    switch (sub) {
      case 'on':
        tr.enabled = true;
        return { text: 'tracing on', code: 'sys.trace.enabled = true' };
      case 'off':
        tr.enabled = false;
        return { text: 'tracing off', code: 'sys.trace.enabled = false' };
      case 'clear':
        tr.clear();
        return { text: 'trace cleared', code: 'sys.trace.clear()' };
      case 'show': {
        const n = args[1] === undefined ? 20 : parseUint(args[1], 'N', tr.size);
        const ev = tr.last(n);
        const head = `# tracer: nop\n# entries-in-buffer: ${ev.length}${tr.enabled ? '' : '   (tracing is off: "trace on" starts it)'}`;
        return { text: [ctx.c.dim(head), ...ev.map((e) => TraceBuffer.format(e))].join('\n'), code: `sys.trace.last(${n})` };
      }
      default:
        throw new UsageError(`unknown subcommand '${sub}' (on, off, show, clear)`);
    }
  },
});

registerCommand({
  name: 'validate',
  group: 'sim',
  usage: 'validate',
  summary: "check every subsystem's invariants (the simulator's CONFIG_DEBUG_VM)",
  example: 'validate',
  run(ctx) {
    ctx.sys.validate();
    return { text: ctx.c.green('ok: every invariant holds'), code: 'sys.validate()' };
  },
});

registerCommand({
  name: 'code',
  group: 'repl',
  usage: 'code [on | off]',
  summary: 'show the equivalent TypeScript call after each command (also: CMD --code)',
  example: 'code on',
  complete: (args) => (args.length === 0 ? ['on', 'off'] : []),
  run(ctx, args) {
    const s = ctx.session;
    if (args[0] === 'on') s.codeMode = true;
    else if (args[0] === 'off') s.codeMode = false;
    else if (args.length) throw new UsageError(`expected on or off, not '${args[0]}'`);
    return `code ${s.codeMode ? 'on' : 'off'}`;
  },
});

registerCommand({
  name: 'timeout',
  group: 'repl',
  usage: 'timeout [MS]',
  summary: 'time limit of a TypeScript evaluation in milliseconds (default 2000)',
  example: 'timeout 5000',
  run(ctx, args) {
    const s = ctx.session;
    if (args.length) s.timeout = Math.max(1, parseUint(args[0], 'MS', 3_600_000));
    return `TypeScript time limit: ${s.timeout} ms`;
  },
});

const quit: Command = {
  name: 'quit',
  aliases: ['exit', 'q'],
  group: 'repl',
  usage: 'quit',
  /** Names only the aliases no other command has taken (a later group may own `exit`). */
  get summary() {
    const words = ['exit', 'q'].filter((w) => registry.get(w) === quit);
    return `leave (also: ${[...words, 'Ctrl-D', 'Ctrl-C twice'].join(', ')})`;
  },
  example: 'quit',
  run: () => ({ text: '', exit: true }),
};
registerCommand(quit);
