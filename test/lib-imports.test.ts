// lib/ must stay loadable by a stock tslab kernel, whose loader for local .ts files recurses
// forever on an import cycle (notebooks/kernel/tslab-kernel.cjs patches that, but a user's own
// `tslab install` kernel is not patched). So: no cycles among lib/'s run-time imports
// (`import type` does not count), and no UI or notebook imports in lib/.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const LIB = join(__dirname, '..', 'lib');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Run-time relative imports of a file (imports whose every name is `type` are left out). */
function runtimeImports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const out: string[] = [];
  const re = /^(?:import|export)\s+(?!type\b)([^;]*?)\s*from\s+'(\.[^']+)'/gms;
  for (const m of src.matchAll(re)) {
    const spec = m[1].trim();
    const braces = /^\{([^}]*)\}$/.exec(spec);
    if (braces && braces[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '))) continue;
    out.push(normalize(join(dirname(file), m[2].replace(/\.js$/, '.ts'))));
  }
  return out;
}

describe('lib/ imports', () => {
  const all = files(LIB);
  const graph = new Map(all.map((f) => [f, runtimeImports(f)]));

  it('has no run-time import cycle', () => {
    const state = new Map<string, 1 | 2>();
    const stack: string[] = [];
    const cycles: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      stack.push(f);
      for (const g of graph.get(f) ?? []) {
        if (!graph.has(g)) continue;
        if (state.get(g) === 1) cycles.push([...stack.slice(stack.indexOf(g)), g].map((p) => relative(LIB, p)).join(' -> '));
        else if (!state.has(g)) visit(g);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of all) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('never imports the UI or the notebook kernel', () => {
    const ui = /^\s*(?:import|export)\b[^;]*?from\s+'(?:ink|react|ink-[a-z-]+|tslab)'/m;
    const bad = all.filter((f) => ui.test(readFileSync(f, 'utf8')));
    expect(bad.map((f) => relative(LIB, f))).toEqual([]);
  });
});
