// The virtual-memory REPL commands through Session.exec.
import { describe, expect, it } from 'vitest';
import { stripAnsi } from '../repl/ansi.js';
import '../repl/commands/index.js';
import { Session } from '../repl/session.js';

function ok(s: Session, line: string): string {
  const rs = s.exec(line);
  for (const r of rs) if (!r.ok) throw new Error(`'${line}' failed:\n${r.text}`);
  return stripAnsi(rs.map((r) => r.text).join('\n'));
}

describe('vm commands', () => {
  it('spawns, maps, touches and walks a process', () => {
    const s = new Session({ config: 'tiny', debugVm: true });
    expect(ok(s, 'spawn app')).toBe('pid 1 (app)');
    const a = ok(s, 'mmap 1 64k rw private|anonymous');
    expect(a).toBe('0x7ffff7fef000');
    expect(ok(s, `touch 1 ${a} 16k`)).toBe('4 page fault(s)');
    const v = ok(s, `vtop -c 1 ${a}`);
    expect(v).toMatch(/^VIRTUAL +PHYSICAL\n7ffff7fef000 +[0-9a-f]+\n/);
    expect(v).toMatch(/PTE \[495\] @ 0x[0-9a-f]+ +80000000[0-9a-f]{8} +leaf present\|rw\|user\|accessed\|dirty\|nx/);
    expect(ok(s, 'ps')).toMatch(/\n +1 +0 +app +\d+ +16 +4 +0$/);
    expect(ok(s, 'vm -p 1')).toMatch(/7ffff7fef000 +→ +[0-9a-f]+/);
    expect(ok(s, 'fork 1')).toBe('pid 2 (app), child of 1');
    expect(ok(s, `peek 2 ${a} 4`)).toBe('7ffff7fef000:  aa 00 00 00');
    expect(ok(s, 'kill 2')).toBe('pid 2 exited');
    expect(ok(s, 'show vm 1')).toContain('[stack]');
    expect(ok(s, 'show tlb')).toContain('dTLB-4K: 16 sets × 4 ways');
    expect(ok(s, `show pgtable 1 ${a}`)).toContain('=> phys');
  });

  it('kmem -v lists vmalloc areas and kmem ADDR resolves vmalloc and page-table addresses', () => {
    const s = new Session({ config: 'tiny', debugVm: true });
    const v = ok(s, 'vmalloc 20k');
    expect(ok(s, 'kmem -v')).toContain(`${v} - `);
    expect(ok(s, `kmem ${v}`)).toContain('vmalloc area');
    const guard = '0x' + (BigInt(v) + 5n * 4096n).toString(16);
    expect(ok(s, `kmem ${guard}`)).toContain('guard page');
    const pgd = s.sys.mmcore.pg.init_mm.pgd * 4096;
    expect(ok(s, `kmem 0x${pgd.toString(16)}`)).toContain('page-table page (PGTY.table) of init_mm (kernel)');
    ok(s, `vfree ${v}`);
    expect(s.exec('vfree 0x1234').some((r) => !r.ok)).toBe(true);
  });
});
