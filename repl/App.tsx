/**
 * The interactive REPL (Ink): a scrolling log of commands and their output (<Static>), the
 * prompt (ink-text-input) with history and Tab completion, and a one-line status bar.
 *
 * Keys: Enter runs the line; Up/Down walk the history; Tab completes (a second list of
 * candidates is shown under the prompt when there are several); Ctrl-U clears the line, Ctrl-W
 * deletes a word; Ctrl-C clears the line, and twice on an empty line leaves; Ctrl-D on an empty
 * line leaves. A pasted text with newlines runs line by line.
 */
import { Box, Static, Text, useApp, useInput } from 'ink';
import TextInput from 'ink-text-input';
import { useCallback, useRef, useState } from 'react';
import { complete } from './complete.js';
import type { History } from './history.js';
import type { Session } from './session.js';
import { statusLine } from './status.js';

/** One entry of the scrolling log. */
interface LogItem {
  id: number;
  text: string;
}

/** Props of {@link App}. */
export interface AppProps {
  /** The session to drive. */
  session: Session;
  /** The prompt history (persisted or in memory). */
  history: History;
  /** Text printed first (the banner). */
  banner?: string;
  /** Called when the REPL leaves (after Ink unmounts). */
  onExit?: () => void;
}

/** The prompt string. */
export const PROMPT = 'mmlab> ';

/** The REPL component. */
export function App({ session, history, banner, onExit }: AppProps) {
  const { exit } = useApp();
  const nextId = useRef(0);
  const [items, setItems] = useState<LogItem[]>(() => (banner ? [{ id: nextId.current++, text: banner }] : []));
  const [value, setValue] = useState('');
  const [inputKey, setInputKey] = useState(0);
  const [hint, setHint] = useState('');
  const [status, setStatus] = useState(() => statusLine(session, session.width));
  const histPos = useRef<number | null>(null);
  const draft = useRef('');
  const swallow = useRef(false);
  const ctrlC = useRef(false);
  const valueRef = useRef('');
  valueRef.current = value;
  const c = session.c;

  const leave = useCallback(() => {
    exit();
    onExit?.();
  }, [exit, onExit]);

  /**
   * Replaces the line and puts the cursor at its end: TextInput keeps its cursor in its own
   * state, so it is remounted (history, completion, pasted lines).
   */
  const replaceLine = useCallback((v: string) => {
    setValue(v);
    setInputKey((k) => k + 1);
  }, []);

  const run = useCallback(
    (line: string) => {
      const out: string[] = [`${c.bold(PROMPT)}${line}`];
      history.add(line);
      histPos.current = null;
      let quit = false;
      for (const r of session.exec(line)) {
        if (r.text) out.push(r.text);
        if (r.exit) quit = true;
      }
      setItems((xs) => [...xs, { id: nextId.current++, text: out.join('\n') }]);
      setStatus(statusLine(session, session.width));
      setHint('');
      if (quit) setTimeout(leave, 0);
    },
    [c, history, session, leave],
  );

  const onChange = useCallback(
    (v: string) => {
      if (swallow.current) return; // a control key that TextInput would have inserted as a letter
      ctrlC.current = false;
      // Control characters arriving inside pasted text are dropped (tabs become spaces).
      // eslint-disable-next-line no-control-regex
      v = v.replace(/\t/g, ' ').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\x1b\[[0-9;]*[A-Za-z~]/g, '');
      if (/[\r\n]/.test(v)) {
        // Pasted lines: run each complete line, keep the rest on the prompt.
        const parts = v.split(/\r\n|\r|\n/);
        const rest = parts.pop() ?? '';
        for (const p of parts) run(p);
        replaceLine(rest);
        return;
      }
      setValue(v);
      setHint('');
    },
    [run, replaceLine],
  );

  const onSubmit = useCallback(
    (v: string) => {
      ctrlC.current = false;
      // No remount here: TextInput moves its cursor to 0 itself, and keys typed right after
      // Enter must reach the same (already subscribed) input.
      setValue('');
      run(v);
    },
    [run],
  );

  // Runs before TextInput's handler (it is registered first and never re-registered).
  const onKey = useCallback(
    (input: string, key: { ctrl: boolean; meta: boolean; tab: boolean; upArrow: boolean; downArrow: boolean; shift: boolean }) => {
      if (key.ctrl && input !== 'c') {
        swallow.current = true;
        queueMicrotask(() => {
          swallow.current = false;
        });
        const v = valueRef.current;
        if (input === 'd') {
          if (!v) leave();
          else replaceLine(v);
        } else if (input === 'u') setValue('');
        else if (input === 'w') replaceLine(v.replace(/\S+\s*$/, ''));
        else replaceLine(v);
        return;
      }
      if (key.ctrl && input === 'c') {
        if (ctrlC.current && !valueRef.current) {
          leave();
          return;
        }
        ctrlC.current = true;
        setValue('');
        setHint(c.dim('(Ctrl-C again, Ctrl-D or quit to leave)'));
        return;
      }
      if (key.upArrow || key.downArrow) {
        const h = history.entries;
        if (!h.length) return;
        if (histPos.current === null) {
          if (key.downArrow) return;
          draft.current = valueRef.current;
          histPos.current = h.length;
        }
        const pos = Math.max(0, Math.min(h.length, histPos.current + (key.upArrow ? -1 : 1)));
        histPos.current = pos;
        replaceLine(pos === h.length ? draft.current : h[pos]);
        if (pos === h.length) histPos.current = null;
        return;
      }
      if (key.tab) {
        const r = complete(valueRef.current, session);
        if (r.line !== valueRef.current) replaceLine(r.line);
        const shown = r.candidates.length > 1 ? r.candidates : [];
        setHint(shown.length ? formatCandidates(shown, session.width) : '');
      }
    },
    [c, history, leave, replaceLine, session],
  );

  return (
    <Box flexDirection="column">
      <Static items={items}>{(it) => <Text key={it.id}>{it.text}</Text>}</Static>
      <KeyHandler onKey={onKey} />
      <Box>
        <Text color="green" bold>
          {PROMPT}
        </Text>
        <TextInput key={inputKey} value={value} onChange={onChange} onSubmit={onSubmit} />
      </Box>
      {hint ? <Text>{hint}</Text> : null}
      <Text wrap="truncate">{status}</Text>
    </Box>
  );
}

/** Registers the App's key handler ahead of TextInput's (see onKey). */
function KeyHandler({ onKey }: { onKey: Parameters<typeof useInput>[0] }) {
  const ref = useRef(onKey);
  ref.current = onKey;
  const stable = useCallback<Parameters<typeof useInput>[0]>((input, key) => ref.current(input, key), []);
  useInput(stable);
  return null;
}

/** Completion candidates in columns, at most 4 lines. */
export function formatCandidates(cands: string[], width: number): string {
  const w = Math.min(width, Math.max(...cands.map((x) => x.length)) + 2);
  const perLine = Math.max(1, Math.floor(width / w));
  const lines: string[] = [];
  for (let i = 0; i < cands.length; i += perLine) lines.push(cands.slice(i, i + perLine).map((x) => x.padEnd(w)).join('').trimEnd());
  if (lines.length > 4) return [...lines.slice(0, 4), `... ${cands.length} candidates`].join('\n');
  return lines.join('\n');
}
