/**
 * Every command group of the REPL. Importing this module registers them all; adding a group
 * is one import line here (see repl/README.md, "Adding commands").
 */
import './kmem.js';
import './proc.js';
import './api.js';
import './sim.js';
import './show.js';
import './slab.js';
import './help.js';
import './vm.js';
import './course.js';
