import '../../repl/commands/index.js';
import { Session } from '../../repl/session.js';
const s = new (Session as any)();
for (const line of ['chapter', 'problem 03-buddy/split 2', 'reveal', 'grade --list', 'grade 03-buddy/find-buddy test/solutions/03-buddy/find-buddy.wrong-always-above.ts', 'chapter 3']) {
  const r = s.exec(line);
  console.log('>>>', line); console.log(JSON.stringify(r).slice(0, 1500));
}
