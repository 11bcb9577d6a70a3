// The slab REPL commands through Session.exec: kmalloc/kfree with handles, kmem_cache_*,
// kmem -s / -S / ADDR, slabtop, show slab / show kmalloc, kmemleak and kasan, undo; and the SVG
// pictures of lib/view/svg/slab.ts.
import { describe, expect, it } from 'vitest';
import '../repl/commands/index.js';
import { Session } from '../repl/session.js';
import { svgKmallocClasses, svgSlabCache } from '../lib/view/svg/slab.js';
import { GFP_KERNEL } from '../lib/mm/gfp.js';
import '../lib/index.js';
import { toDisplay } from '../lib/view/show.js';

function ok(s: Session, line: string): string {
  const rs = s.exec(line);
  for (const r of rs) if (!r.ok) throw new Error(`'${line}' failed:\n${r.text}`);
  return rs.map((r) => r.text).join('\n');
}
function bad(s: Session, line: string): string {
  const rs = s.exec(line);
  expect(rs.some((r) => !r.ok), `'${line}' should fail`).toBe(true);
  return rs.map((r) => r.text).join('\n');
}
const session = (cmdline = '') => new Session({ config: { preset: 'pc-4g', memory: '256M', cmdline }, debugVm: true });

describe('slab REPL commands', () => {
  it('kmalloc/kfree with handles, kmem -s, kmem ADDR, kmem -S', () => {
    const s = session();
    expect(ok(s, 'kmalloc 100')).toMatch(/^\$1 = 0xffff8880[0-9a-f]+ {2}\(kmalloc-128 object \d+, ksize 128\)$/);
    ok(s, 'kmalloc 100');
    expect(ok(s, 'kmalloc 0')).toContain('ZERO_SIZE_PTR');
    const ks = ok(s, 'kmem -s kmalloc-128');
    expect(ks.split('\n')[0]).toBe('CACHE             OBJSIZE  ALLOCATED     TOTAL  SLABS  SSIZE  NAME');
    expect(ks).toMatch(/^[0-9a-f]{16} +128 +2 +32 +1 +4k {2}kmalloc-128$/m);
    const addr = ok(s, 'kmem $2');
    expect(addr).toMatch(/^ {2}\[[0-9a-f]{16}\]$/m);
    expect(ok(s, 'kfree $1')).toMatch(/^freed 0x[0-9a-f]+ \(kmalloc-128\)$/);
    const detail = ok(s, 'kmem -S kmalloc-128');
    expect(detail).toContain('CPU 0 SLAB:');
    expect(detail).toMatch(/\(cpu 0 cache\)/);
    expect(bad(s, 'kfree $1')).toMatch(/missing|not|handle/i); // the handle is gone
    expect(bad(s, 'kmem $1')).toContain('no handle $1 (freed, or never made)');
    expect(bad(s, 'kmem -S no_such_cache')).toContain("no cache 'no_such_cache'");
    // An address copied from kmem -S (hex without 0x, as crash prints it) is taken as it is.
    const free = /^ {3}([0-9a-f]{16}) {2}\(cpu 0 cache\)$/m.exec(detail)![1];
    expect(bad(s, `kfree ${free}`)).toContain('Object already free');
    const live = ok(s, 'kmem $2').match(/\[([0-9a-f]{16})\]/)![1];
    expect(ok(s, `kfree ${live}`)).toMatch(/^freed 0x[0-9a-f]+ \(kmalloc-128\)$/);
    expect(bad(s, 'kfree ffff888zz')).toMatch(/not an address/);
    ok(s, 'kmalloc 10000');
    expect(ok(s, 'kmem $3')).toMatch(/kmalloc_large: 0x[0-9a-f]+, order 2 \(16384 bytes\) for a 10000-byte kmalloc/);
    s.sys.validate();
  });

  it('kmem_cache_* commands, merging, slabtop, pictures', () => {
    const s = session();
    expect(ok(s, 'kmem_cache_create my_obj 72 8')).toMatch(/my_obj: object_size 72, size 72, align 8, 56 objects per slab of 1 page\(s\), free pointer at \+32/);
    expect(ok(s, 'kmem_cache_create my_obj2 72 8')).toMatch(/merged into my_obj/);
    expect(ok(s, 'kmem_cache_alloc my_obj')).toMatch(/^\$1 = /);
    expect(bad(s, 'kmem_cache_destroy my_obj2; kmem_cache_destroy my_obj')).toMatch(/still has objects/);
    ok(s, 'kmem_cache_free my_obj $1');
    expect(ok(s, 'kmem_cache_shrink my_obj')).toMatch(/my_obj: 1 empty slab\(s\) freed/);
    expect(ok(s, 'slabtop objs 5')).toMatch(/OBJS ACTIVE {2}USE OBJ SIZE/);
    const pic = ok(s, 'kmalloc 64; kmalloc 64; show slab kmalloc-64');
    expect(pic).toContain('kmalloc-64: 64 x 64 B per slab, order 0');
    expect(pic).toMatch(/cpu freelist: \d+ → /);
    expect(ok(s, 'show kmalloc')).toMatch(/kmalloc-64 +2\/64/);
    s.sys.validate();
  });

  it('kmemleak, kasan and undo', () => {
    const s = session('kasan=on kmemleak=on');
    ok(s, 'kmalloc 123');
    expect(ok(s, 'kasan shadow $1')).toMatch(/^>[0-9a-f]{16}: (00 )+03( fc)*$/m);
    ok(s, 'tick 2000');
    expect(ok(s, 'kmemleak scan')).toMatch(/^1 new suspected memory leak/);
    expect(ok(s, 'kmemleak show')).toMatch(/^unreferenced object 0x[0-9a-f]+ \(size 128\):/); // kmemleak records s->object_size
    const before = s.sys.slab.inspectCache(s.sys.slab.find_cache('kmalloc-128')!).allocated;
    ok(s, 'kmalloc 100');
    ok(s, 'undo');
    expect(s.sys.slab.inspectCache(s.sys.slab.find_cache('kmalloc-128')!).allocated).toBe(before);
  });
});

describe('slab SVG pictures', () => {
  it('draws a cache with freelist arrows and the kmalloc classes', () => {
    const s = session();
    const sys = s.sys;
    const c = sys.kmem_cache_create('pic_obj', 200, 0, 0);
    const objs = Array.from({ length: 30 }, () => sys.kmem_cache_alloc(c, GFP_KERNEL)!);
    objs.filter((_, i) => i % 3 === 0).forEach((o) => sys.kmem_cache_free(c, o));
    const svg = svgSlabCache(sys.slab.inspectCacheDetail(c));
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('pic_obj: 20 objects of 200 B per slab');
    expect((svg.match(/<path /g) ?? []).length).toBeGreaterThan(10); // arrows
    expect(svg).toMatch(/object \d+ at 0xffff[0-9a-f]+: free, free pointer (0x[0-9a-f]+|NULL)/);
    expect(svg).toMatch(/object \d+ at 0xffff[0-9a-f]+: allocated/);
    const k = svgKmallocClasses(sys.slab.inspectKmallocClasses());
    expect(k).toContain('kmalloc-8k');
    expect(k.endsWith('</svg>')).toBe(true);
    // show() recognises the snapshots
    expect(toDisplay(sys.slab.inspectCacheDetail(c)).svg).toContain('pic_obj');
    expect(toDisplay(sys.slab.inspectKmallocClasses()).text).toContain('kmalloc size classes');
  });
});
