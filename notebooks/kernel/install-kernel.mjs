// Writes the "tslab" kernelspec that starts notebooks/kernel/tslab-kernel.cjs.
//   node notebooks/kernel/install-kernel.mjs          → ./.jupyter/kernels/tslab (use JUPYTER_PATH=$PWD/.jupyter)
//   node notebooks/kernel/install-kernel.mjs --user   → ~/.local/share/jupyter/kernels/tslab (every Jupyter sees it)
// Paths are absolute, so the file is rewritten on every run (.jupyter/ is git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const base = process.argv.includes('--user')
  ? join(process.env.XDG_DATA_HOME || join(homedir(), '.local/share'), 'jupyter')
  : join(root, '.jupyter');
const dir = join(base, 'kernels', 'tslab');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'kernel.json'), JSON.stringify({
  argv: [process.execPath, join(here, 'tslab-kernel.cjs'), '{connection_file}'],
  display_name: 'TypeScript (tslab)',
  language: 'typescript',
}, null, 2) + '\n');
console.log(`kernelspec written: ${dir}/kernel.json`);
