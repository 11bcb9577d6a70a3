/**
 * The one-line status bar under the prompt: machine, simulated time, each zone's free pages
 * against its watermarks, and swap use once the machine has swap.
 */
import { meminfo, zones } from './kapi.js';
import { stripAnsi } from './ansi.js';
import type { Session } from './session.js';

/** Compact page counts: 812, 9.9k, 812k, 1.2M pages. */
export function shortCount(n: number): string {
  if (n < 10_000) return String(n);
  if (n < 1e6) return `${+(n / 1e3).toFixed(n < 1e5 ? 1 : 0)}k`;
  return `${+(n / 1e6).toFixed(n < 1e7 ? 1 : 0)}M`;
}

/** The status line, at most `width` columns. */
export function statusLine(session: Session, width: number): string {
  const { c, sys } = session;
  const segs: string[] = [c.bold(session.machineName), `t=${sys.clock.seconds().toFixed(3)}s`];
  try {
    for (const z of zones(sys)) {
      if (z.managed === 0) continue;
      const level = z.free < z.min ? c.red('<min') : z.free < z.low ? c.magenta('<low') : z.free < z.high ? c.magenta('<high') : c.green('ok');
      const node = sys.config.nodes.length > 1 ? `N${z.node} ` : '';
      segs.push(`${node}${z.zone} ${shortCount(z.free)} ${level}${c.dim(`/h${shortCount(z.high)}`)}`);
    }
  } catch {
    // zones not inspectable (a broken lib build): the status shows what it can
  }
  if (sys.config.swap > 0) {
    try {
      const mi = meminfo(sys);
      const used = (mi['SwapTotal'] ?? 0) - (mi['SwapFree'] ?? 0);
      segs.push(`swap ${shortCount(Math.floor(used / 4))}/${shortCount(Math.floor((mi['SwapTotal'] ?? 0) / 4))}`);
    } catch {
      // no /proc/meminfo
    }
  }
  const sep = c.dim(' │ ');
  let out = '';
  for (const s of segs) {
    const next = out ? out + sep + s : s;
    if (stripAnsi(next).length > width) break;
    out = next;
  }
  return out;
}
