import { listExercises, generateCases } from '../../lib/course/index.js';
for (const ex of listExercises()) { const t = Date.now(); const c = generateCases(ex); const t2 = Date.now(); generateCases(ex, { learner: 'ada', seed: 3 }); console.log(ex.id, t2 - t, Date.now() - t2, c.map((x) => x.length).join(',')); }
