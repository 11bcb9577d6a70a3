/**
 * The command registry of the REPL.
 *
 * Every REPL command is a {@link Command} record registered here by one file per group under
 * `repl/commands/` (see repl/README.md, "Adding commands"). Besides whole commands, two
 * extension points let other subsystems grow `kmem`:
 *  - {@link registerKmemOption}: a `kmem` option letter (`kmem -s`, `kmem -v` ...);
 *  - {@link registerAddrResolver}: a link in the chain that `kmem ADDR` asks "what is this
 *    address?" (free page, slab object, vmalloc area, page-table page ...).
 * The registry holds only descriptions and functions; the live state is in the Session.
 */
import type { System } from '../lib/index.js';
import type { Ansi } from './ansi.js';
import { closest } from './parse.js';
import type { Session } from './session.js';

/** What a command's `run` receives besides its arguments. */
export interface CommandContext {
  /** The REPL session (system, handles, settings). */
  session: Session;
  /** The live system (same as session.sys). */
  sys: System;
  /** Colours (off when output is not a terminal). */
  c: Ansi;
  /** Columns available for output (80 when unknown). */
  width: number;
}

/** What `run` returns when it has more to say than text. */
export interface CommandOutput {
  /** The output (plain text, optionally with ANSI colours). */
  text: string;
  /** The equivalent TypeScript call, shown with `--code` / `code on`. */
  code?: string;
  /** Leave the REPL after printing (quit). */
  exit?: boolean;
}

/** Context given to completers. */
export interface CompletionContext {
  sys: System;
  session: Session;
}

/**
 * A completer: given the words typed so far after the command name (complete words) and the
 * partial word under the cursor, returns candidate words (unfiltered is fine: the caller keeps
 * those that start with `partial`).
 */
export type Completer = (args: string[], partial: string, ctx: CompletionContext) => string[];

/** One REPL command. */
export interface Command {
  /** The word that invokes it. */
  name: string;
  /** Other words that invoke it. */
  aliases?: string[];
  /** The subsystem group it is listed under in `help` (see {@link registerGroup}). */
  group: string;
  /** Usage line, e.g. `alloc_pages ORDER [GFP]`. */
  usage: string;
  /** One line saying what it does. */
  summary: string;
  /** An example invocation (shown by `help CMD`). */
  example: string;
  /** Option letters and what they do (shown by `help CMD` and completed). */
  options?: { flag: string; summary: string }[];
  /** Completes arguments. */
  complete?: Completer;
  /**
   * Pass the text after the command name as one argument, unsplit and with its quotes (for
   * JSON, e.g. `reset {"memory": "64M"}`). Empty text gives no argument.
   */
  rawArgs?: boolean;
  /**
   * Whether the command changes the simulated system (true → it is recorded in the session's
   * command log and `undo` can take it back). A function decides from the arguments
   * (`sysctl x` reads, `sysctl x=1` writes). Default false.
   */
  mutates?: boolean | ((args: string[]) => boolean);
  /** Runs the command. Throw UsageError for bad arguments; KernelError messages print as they are. */
  run(ctx: CommandContext, args: string[]): string | CommandOutput;
}

/** A `kmem` option contributed by a subsystem. */
export interface KmemOption {
  /** The option, e.g. `-s`. */
  flag: string;
  /** Usage line, e.g. `kmem -s [CACHE]`. */
  usage: string;
  /** One line saying what it shows. */
  summary: string;
  /** Example invocation. */
  example: string;
  /** Completes the words after the flag. */
  complete?: Completer;
  /** Runs `kmem FLAG args...` (args are the words after the flag). */
  run(ctx: CommandContext, args: string[]): string | CommandOutput;
}

/**
 * A link of the `kmem ADDR` chain. `resolve` returns a description when it knows the address
 * (several may answer: a slab object is also inside an allocated page) or null. Resolvers run
 * in ascending `priority`; the more specific ones (slab, vmalloc) should use a lower number
 * than the page-level fallback (100).
 */
export interface AddrResolver {
  /** Short name, e.g. `slab`. */
  name: string;
  /** Order in the chain (lower runs first). */
  priority: number;
  /** Describes `addr` (signed-64 representation) or returns null. */
  resolve(ctx: CommandContext, addr: number): string | null;
}

/** A help group (a subsystem). */
export interface CommandGroup {
  /** Key used by commands' `group`. */
  id: string;
  /** Heading in `help`. */
  title: string;
  /** Position in `help` (ascending). */
  order: number;
}

/** The set of commands, kmem options and address resolvers. */
export class Registry {
  private commands = new Map<string, Command>();
  private byWord = new Map<string, Command>();
  private groups = new Map<string, CommandGroup>();
  private kmemOpts = new Map<string, KmemOption>();
  private resolvers: AddrResolver[] = [];

  /** Declares a help group. Registering an id again updates its title and order. */
  registerGroup(id: string, title: string, order = 50): void {
    this.groups.set(id, { id, title, order });
  }

  /** Adds a command. A second command with the same name or alias replaces the first. */
  register(cmd: Command): void {
    const old = this.commands.get(cmd.name);
    if (old) for (const w of [old.name, ...(old.aliases ?? [])]) this.byWord.delete(w);
    this.commands.set(cmd.name, cmd);
    for (const w of [cmd.name, ...(cmd.aliases ?? [])]) this.byWord.set(w, cmd);
    if (!this.groups.has(cmd.group)) this.registerGroup(cmd.group, cmd.group);
  }

  /** The command invoked by `word` (name or alias), if any. */
  get(word: string): Command | undefined {
    return this.byWord.get(word);
  }

  /** Every command, in registration order. */
  list(): Command[] {
    return [...this.commands.values()];
  }

  /** Every word that invokes a command. */
  words(): string[] {
    return [...this.byWord.keys()];
  }

  /** Groups in help order, each with its commands. */
  grouped(): { group: CommandGroup; commands: Command[] }[] {
    const gs = [...this.groups.values()].sort((a, b) => a.order - b.order || a.title.localeCompare(b.title));
    return gs
      .map((group) => ({ group, commands: this.list().filter((c) => c.group === group.id) }))
      .filter((g) => g.commands.length > 0);
  }

  /** Commands whose name is close to `word` ("did you mean"). */
  suggest(word: string): string[] {
    return closest(word, this.words());
  }

  /** Adds a `kmem` option. Replaces an option with the same flag. */
  registerKmemOption(opt: KmemOption): void {
    if (!/^-[A-Za-z]$/.test(opt.flag)) throw new Error(`kmem option '${opt.flag}' must be a dash and one letter`);
    this.kmemOpts.set(opt.flag, opt);
  }

  /** The `kmem` option for `flag`, if registered. */
  kmemOption(flag: string): KmemOption | undefined {
    return this.kmemOpts.get(flag);
  }

  /** Every `kmem` option, sorted by flag (lower case first). */
  kmemOptions(): KmemOption[] {
    return [...this.kmemOpts.values()].sort((a, b) => a.flag.localeCompare(b.flag));
  }

  /** Adds a link to the `kmem ADDR` chain. Replaces a resolver with the same name. */
  registerAddrResolver(r: AddrResolver): void {
    this.resolvers = this.resolvers.filter((x) => x.name !== r.name);
    this.resolvers.push(r);
    this.resolvers.sort((a, b) => a.priority - b.priority);
  }

  /** The `kmem ADDR` chain, in order. */
  addrResolvers(): readonly AddrResolver[] {
    return this.resolvers;
  }
}

/** The registry every REPL session uses. `repl/commands/index.ts` fills it. */
export const registry = new Registry();

/** Adds a command to the REPL (one call per command; see repl/README.md). */
export function registerCommand(cmd: Command): void {
  registry.register(cmd);
}

/** Declares a help group (subsystem heading). */
export function registerGroup(id: string, title: string, order?: number): void {
  registry.registerGroup(id, title, order);
}

/** Adds a `kmem` option letter contributed by a subsystem (e.g. `-s` by slab). */
export function registerKmemOption(opt: KmemOption): void {
  registry.registerKmemOption(opt);
}

/** Adds a link to the `kmem ADDR` resolver chain. */
export function registerAddrResolver(r: AddrResolver): void {
  registry.registerAddrResolver(r);
}
