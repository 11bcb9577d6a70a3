import { createSystem, GFP_KERNEL } from '../../lib/index.js';
const sys = createSystem('tiny');
for (const pfn of [1, 2, 0x9e, 0x100, 0x1000 - 1]) { try { const v = sys.page(pfn); console.log(pfn, v.state, v.flags, v.refcount, v.page_type); } catch (e) { console.log(pfn, (e as Error).message); } }
const p = sys.alloc_pages(GFP_KERNEL, 0)!; console.log(sys.page(p.pfn), sys.page(p.pfn ^ 1));
console.log(sys.boot && Object.keys(sys.boot));
