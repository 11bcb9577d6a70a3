import { getExercise, generateCases } from '../../lib/course/index.js';
const ex = getExercise('02-zones/first-zone');
const cs = generateCases(ex);
console.log(JSON.stringify(cs[2], null, 0).slice(0, 1500));
const f = getExercise('03-buddy/fallback-order');
for (const t of generateCases(f)) for (const c of t) console.log(JSON.stringify((c.input as any).start_type), (c.input as any).order, JSON.stringify(c.expected), JSON.stringify((c.input as any).free.slice(4)));
