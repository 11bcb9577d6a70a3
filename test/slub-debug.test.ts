// slab_debug=: poisoning, red zones, user tracking, consistency checks and their reports;
// kmemleak and page_owner.
import { describe, expect, it } from 'vitest';
import { createSystem } from '../lib/index.js';
import { GFP_KERNEL } from '../lib/mm/gfp.js';
import { parse_slab_debug, slab_debug_flags_for, SLAB_CONSISTENCY_CHECKS, SLAB_POISON, SLAB_RED_ZONE, SLAB_STORE_USER, DEBUG_DEFAULT_FLAGS } from '../lib/mm/slab.js';

function boot(cmdline: string) {
  const sys = createSystem({ preset: 'pc-4g', memory: '512M', cmdline });
  sys.debug_vm = true;
  return sys;
}

describe('slab_debug= parsing', () => {
  it('parses the option like setup_slub_debug', () => {
    expect(parse_slab_debug('quiet')).toEqual([]);
    expect(parse_slab_debug('slub_debug')).toEqual([{ flags: DEBUG_DEFAULT_FLAGS, caches: [] }]);
    const b = parse_slab_debug('slab_debug=FZ,kmalloc-128,dentry;P,kmalloc-*');
    expect(slab_debug_flags_for(b, 'kmalloc-128')).toBe(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE);
    expect(slab_debug_flags_for(b, 'kmalloc-64')).toBe(SLAB_POISON);
    expect(slab_debug_flags_for(b, 'inode_cache')).toBe(0);
    expect(slab_debug_flags_for(parse_slab_debug('slab_debug=U'), 'x')).toBe(SLAB_STORE_USER);
    expect(() => parse_slab_debug('slab_debug=Q')).toThrow(/unknown option/);
  });
});

describe('poisoning and red zones', () => {
  it('lays out a debug object with poison, red zones and tracks in its bytes', () => {
    const sys = boot('slab_debug=FZPU,kmalloc-64');
    const s = sys.slab.find_cache('kmalloc-64')!;
    expect(s.red_left_pad).toBe(64); // ALIGN(8, align 64)
    expect(s.offset).toBe(72); // after object + right red zone word
    expect(s.oo_objects).toBeLessThan(64);
    const p = sys.kmalloc(40, GFP_KERNEL)!;
    const b = sys.kread(p - 8, 8 + 64 + 8);
    expect([...b.subarray(0, 8)].every((x) => x === 0xcc)).toBe(true); // left red zone, active
    expect(b[8]).toBe(0x6b); // allocated objects of a poisoned cache read as 0x6b ...
    expect(b[8 + 39]).toBe(0xa5); // ... with 0xa5 at the end of the requested size
    expect([...b.subarray(8 + 40, 8 + 64)].every((x) => x === 0xcc)).toBe(true); // kmalloc red zone after 40 bytes
    sys.kfree(p);
    const f = sys.kread(p, 64);
    expect([...f.subarray(0, 63)].every((x) => x === 0x6b)).toBe(true);
    expect(f[63]).toBe(0xa5);
    expect(sys.kread(p + 64, 1)[0]).toBe(0xbb); // right red zone, inactive
  });

  it('reports a write past the end: Right Redzone / kmalloc Redzone overwritten', () => {
    const sys = boot('slab_debug=FZPU');
    const p = sys.kmalloc(64, GFP_KERNEL)!;
    sys.kwrite(p, new Uint8Array(65).fill(0x00)); // one byte too many
    expect(() => sys.kfree(p)).toThrow(/corrupt and was not freed/);
    const log = sys.dmesg.join('\n');
    expect(log).toMatch(/\[Right Redzone overwritten\] 0xffff[0-9a-f]+-0xffff[0-9a-f]+ @offset=\d+\. First byte 0x0 instead of 0xcc/);
    expect(log).toMatch(/BUG kmalloc-64 \(Not tainted\): Object corrupt/);
    expect(log).toMatch(/^Redzone  [0-9a-f]{16}: cc cc/m);
    expect(log).toMatch(/^Object   [0-9a-f]{16}: 00 00/m);
    expect(log).toMatch(/^Allocated in \S+ age=\d+ cpu=0 pid=0$/m);
    expect(log).toMatch(/FIX kmalloc-64: Restoring Right Redzone/);
    expect(log).toMatch(/FIX kmalloc-64: Object at 0x[0-9a-f]+ not freed/);
    sys.validate();
    // The bytes were restored: a second free works.
    sys.kfree(p);
    const q = sys.kmalloc(100, GFP_KERNEL)!;
    sys.kwrite(q + 100, [1]); // inside the 128-byte slot, past the 100 requested
    expect(() => sys.kfree(q)).toThrow(KernelErrorLike);
    expect(sys.dmesg.join('\n')).toMatch(/\[kmalloc Redzone overwritten\]/);
  });

  it('finds a use-after-free write when the object is handed out again: Poison overwritten', () => {
    const sys = boot('slab_debug=FZP,kmalloc-128');
    const p = sys.kmalloc(128, GFP_KERNEL)!;
    sys.kfree(p);
    sys.kwrite(p + 10, [0x00]); // write after free
    sys.validate(); // the simulator knows the caller scribbled: not a simulator bug
    const q = sys.kmalloc(128, GFP_KERNEL)!;
    expect(q).toBe(p);
    const log = sys.dmesg.join('\n');
    expect(log).toMatch(/\[Poison overwritten\] 0x[0-9a-f]+-0x[0-9a-f]+ @offset=\d+\. First byte 0x0 instead of 0x6b/);
    expect(log).toMatch(/BUG kmalloc-128 \(Not tainted\): Object corrupt/);
    expect(log).toMatch(/FIX kmalloc-128: Restoring Poison/);
    sys.kfree(q);
    expect(sys.slab.slub.print_tainted()).toMatch(/^Tainted: G    B   W/);
  });

  it('refuses double frees and frees into the middle of an object, with the debug report', () => {
    const sys = boot('slab_debug=FZPU');
    const p = sys.kmalloc(32, GFP_KERNEL)!;
    expect(() => sys.kfree(p + 4)).toThrow(/Invalid object pointer/);
    sys.kfree(p);
    expect(() => sys.kfree(p)).toThrow(/Object already free/);
    const log = sys.dmesg.join('\n');
    expect(log).toMatch(/BUG kmalloc-32 \(Not tainted\): Invalid object pointer 0x/);
    expect(log).toMatch(/BUG kmalloc-32 \(Tainted: G    B   W {9}\): Object already free/);
    expect(log).toMatch(/^Freed in \S+ age=\d+ cpu=0 pid=0$/m);
    sys.validate();
  });

  it('keeps debug caches off the per-cpu lists and validates poison of free objects', () => {
    const sys = boot('slab_debug=P');
    const s = sys.slab.find_cache('kmalloc-256')!;
    const objs = Array.from({ length: 40 }, () => sys.kmalloc(200, GFP_KERNEL)!);
    expect([...s.c_slab].every((x) => x === -1)).toBe(true);
    objs.forEach((o) => sys.kfree(o));
    sys.validate();
  });
});

describe('slab_debug=T', () => {
  it('traces every alloc and free of the named cache', () => {
    const sys = boot('slab_debug=T,kmalloc-32');
    const p = sys.kmalloc(20, GFP_KERNEL)!;
    sys.kfree(p);
    const log = sys.dmesg.join('\n');
    expect(log).toMatch(/^TRACE kmalloc-32 alloc 0xffff[0-9a-f]+ inuse=1 fp=0x[0-9a-f]+$/m);
    expect(log).toMatch(/^TRACE kmalloc-32 free 0xffff[0-9a-f]+ inuse=1 fp=0x[0-9a-f]+$/m);
  });
});

describe('kmemleak', () => {
  it('reports objects nothing points to, older than 5 s, in the debugfs format', () => {
    const sys = boot('kmemleak=on');
    sys.debug_vm = false;
    const list = sys.kmalloc(64, GFP_KERNEL, 'my_driver_probe+0x45/0x120')!;
    const node = sys.kmalloc(32, GFP_KERNEL, 'my_driver_add+0x20/0x90')!;
    const lost = sys.kmalloc(96, GFP_KERNEL, 'my_driver_leak+0x31/0x80')!;
    sys.kwrite(lost, new TextEncoder().encode('leaked!'));
    // list -> node (a pointer stored in the object's bytes); list is a global root
    const ptr = new Uint8Array(8);
    new DataView(ptr.buffer).setBigInt64(0, BigInt(node), true);
    sys.kwrite(list + 8, ptr);
    sys.kmemleak.root('my_list_head', list);
    expect(sys.kmemleak.scan()).toBe(0); // too young
    sys.tick(5 * 250);
    expect(sys.kmemleak.scan()).toBe(1);
    expect(sys.dmesg).toContain('kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)');
    const text = sys.read('/sys/kernel/debug/kmemleak');
    expect(text).toMatch(new RegExp(`^unreferenced object 0x${(BigInt(lost) + (1n << 64n)).toString(16)} \\(size 96\\):$`, 'm'));
    expect(text).toMatch(/^ {2}comm "swapper\/0", pid 0, jiffies \d+$/m);
    expect(text).toMatch(/^ {2}hex dump \(first 32 bytes\):$/m);
    expect(text).toMatch(/^ {4}6c 65 61 6b 65 64 21/m);
    expect(text).toMatch(/^ {2}backtrace \(crc [0-9a-f]+\):$/m);
    expect(text).toContain('    my_driver_leak+0x31/0x80');
    // Dropping the root makes list and node leaks too; freeing them removes them.
    sys.kmemleak.root('my_list_head', null);
    expect(sys.kmemleak.scan()).toBe(2);
    sys.kfree(lost);
    sys.kfree(node);
    sys.kfree(list);
    expect(sys.read('/sys/kernel/debug/kmemleak')).toBe('');
    sys.validate();
  });
});

describe('page_owner', () => {
  it('records who allocated each page in the documented format', () => {
    const sys = boot('page_owner=on');
    const pg = sys.alloc_pages(GFP_KERNEL, 2)!;
    const big = sys.kmalloc(20000, GFP_KERNEL)!;
    const text = sys.read('/sys/kernel/debug/page_owner');
    expect(text).toMatch(new RegExp(`^Page allocated via order 2, mask 0xcc0\\(GFP_KERNEL\\), pid 0, tgid 0 \\(swapper/0\\), ts \\d+ ns\\nPFN 0x${pg.pfn.toString(16)} type Unmovable Block \\d+ type \\w+ Flags 0x[0-9a-f]+\\(.*\\)\\n post_alloc_hook`, 'm'));
    expect(text).toContain('__kmalloc_large_node_noprof');
    sys.__free_pages(pg, 2);
    expect(sys.read('/sys/kernel/debug/page_owner')).not.toContain(`PFN 0x${pg.pfn.toString(16)} `);
    sys.kfree(big);
  });
});

const KernelErrorLike = /./;
