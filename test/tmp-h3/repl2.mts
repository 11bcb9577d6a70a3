import '../../repl/commands/index.js';
import { Session } from '../../repl/session.js';
const s = new (Session as any)();
for (const line of ['help', 'kmem -z', 'alloc_pages 3', 'sysctl vm.min_free_kbytes=16384', 'cat /proc/buddyinfo']) {
  const r = s.exec(line);
  console.log('>>>', line, r.map((x: any) => x.ok), r.map((x: any) => x.text).join('\n').slice(0, 300));
}
