'use strict';
// Starts the tslab kernel from the repository root, so notebook cells import './lib/index.js'
// and read files relative to the root (tslab takes the kernel's cwd as its rootDir).
const path = require('node:path');
const root = path.resolve(__dirname, '..', '..');
process.chdir(root);
require(path.join(root, 'node_modules/tslab/dist/main.js')).startKernel({ configPath: process.argv[2] });
