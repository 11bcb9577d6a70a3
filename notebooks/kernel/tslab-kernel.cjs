'use strict';
// Starts the tslab kernel from the repository root, so notebook cells import './lib/index.js'
// and read files relative to the root (tslab takes the kernel's cwd as its rootDir).
//
// It also fixes, in memory, one bug of tslab 1.0.22: its loader for local .ts files
// (dist/executor.js, requireFromSideOutputs) caches a module only after running it, so an
// import cycle between two files recurses until the stack overflows. Node's own loader caches a
// module before running it (a cycle sees the partial exports); the patched copy does the same.
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
process.chdir(root);

const executor = path.join(root, 'node_modules/tslab/dist/executor.js');
const late = /mod\._compile\(sideOutputs\.get\(filename\), filename\);(\s*)sideModules\.set\(filename, mod\);/;
const src = fs.readFileSync(executor, 'utf8');
if (late.test(src)) {
  const m = new Module(executor, module);
  m.filename = executor;
  m.paths = Module._nodeModulePaths(path.dirname(executor));
  m._compile(src.replace(late, 'sideModules.set(filename, mod);$1mod._compile(sideOutputs.get(filename), filename);'), executor);
  m.loaded = true;
  require.cache[executor] = m;
}

// MMLAB_TSLAB_WATCH=0 (set by test/run-notebooks.py): do not watch lib/ files on disk. A file that
// changes while a cell compiles makes tslab fail with "Unexpected pending rebuildTimer"; headless
// runs want a fixed snapshot of the sources. Interactive kernels keep watching (edits reload).
if (process.env.MMLAB_TSLAB_WATCH === '0') {
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [path.join(root, 'node_modules/tslab')] }));
  ts.sys.watchFile = () => ({ close() {} });
  ts.sys.watchDirectory = () => ({ close() {} });
}

require(path.join(root, 'node_modules/tslab/dist/main.js')).startKernel({ configPath: process.argv[2] });
