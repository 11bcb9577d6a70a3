/**
 * Tracepoints: kernel-named events in a bounded ring buffer.
 *
 * Mirrors: include/trace/events/kmem.h (mm_page_alloc, mm_page_free, kmalloc, kfree, ...),
 * include/trace/events/vmscan.h (mm_vmscan_kswapd_wake, ...), include/trace/events/oom.h
 * (mark_victim), and the ftrace ring buffer (kernel/trace/ring_buffer.c).
 * Models: events with a name, the simulated time and fields, kept in a ring of fixed size; the
 * oldest are overwritten. Recording can be switched off (the default costs one branch per site).
 * Simplifies: one buffer per System, not per CPU; no filters beyond an event-name set.
 */

/** One recorded event. */
export interface TraceEvent {
  /** Sequence number since boot (never reused). */
  seq: number;
  /** Simulated nanoseconds when it fired. */
  ns: number;
  /** The kernel's event name, e.g. `mm_page_alloc`. */
  name: string;
  /** The event's fields, named as in the kernel's TP_printk. */
  fields: Record<string, number | string | boolean>;
}

/** The ring buffer. `enabled` is checked by every event site before it builds fields. */
export class TraceBuffer {
  /** When false, `emit` records nothing. Sites test it first: `if (sys.trace.enabled) ...`. */
  enabled: boolean;
  private ring: (TraceEvent | undefined)[];
  private head = 0;
  private count = 0;
  private seq = 0;
  private clock: { ns: number };
  /** If set, only these event names are recorded. */
  filter: Set<string> | null = null;

  constructor(clock: { ns: number }, size = 4096, enabled = false) {
    this.clock = clock;
    this.ring = new Array(size);
    this.enabled = enabled;
  }
  /** Capacity of the ring. */
  get size(): number {
    return this.ring.length;
  }
  /** Records one event (if enabled and not filtered out). */
  emit(name: string, fields: Record<string, number | string | boolean>): void {
    if (!this.enabled || (this.filter && !this.filter.has(name))) return;
    this.ring[this.head] = { seq: this.seq++, ns: this.clock.ns, name, fields };
    this.head = (this.head + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
  }
  /** The last `n` events (all kept ones by default), oldest first. */
  last(n = this.count): TraceEvent[] {
    n = Math.min(n, this.count);
    const out: TraceEvent[] = [];
    for (let i = n; i > 0; i--) {
      const e = this.ring[(this.head - i + this.ring.length) % this.ring.length];
      if (e) out.push(e);
    }
    return out;
  }
  /** Forgets every recorded event. */
  clear(): void {
    this.ring = new Array(this.ring.length);
    this.head = 0;
    this.count = 0;
  }
  /** Formats an event like a line of /sys/kernel/tracing/trace. */
  static format(e: TraceEvent): string {
    const secs = (e.ns / 1e9).toFixed(6).padStart(13);
    const f = Object.entries(e.fields)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    return `${secs}: ${e.name}: ${f}`;
  }
}
