import { getExercise, generateCases } from '../../lib/course/index.js';
import ref from '../solutions/03-buddy/buddyinfo-after.js';
const ex = getExercise('03-buddy/buddyinfo-after');
const cs = generateCases(ex);
cs.forEach((t, i) => t.forEach((c) => { const got = (ref as any)(...(c.input as any[])); if (JSON.stringify(got) !== JSON.stringify(c.expected)) console.log(i, JSON.stringify(c.input), '\n exp', JSON.stringify(c.expected), '\n got', JSON.stringify(got)); }));
try { const f = getExercise('03-buddy/fallback-order'); console.log(generateCases(f).map((x) => x.length)); } catch (e) { console.log((e as Error).stack); }
