/**
 * A Vitest reporter that ends the run with one line `vitest: N passed, N failed, N skipped`,
 * which test/run-all.sh adds into the suite's closing `N passed, N failed` line.
 */
import type { Reporter, TestModule } from 'vitest/node';

/** Counts test results by state and prints the closing line. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(mods: ReadonlyArray<TestModule>): void {
    const n = { passed: 0, failed: 0, skipped: 0, pending: 0 };
    for (const m of mods) {
      const tests = [...m.children.allTests()];
      for (const t of tests) n[t.result().state]++;
      if (m.state() === 'failed' && !tests.length) n.failed++; // the file failed to load
    }
    console.log(`vitest: ${n.passed} passed, ${n.failed} failed, ${n.skipped + n.pending} skipped`);
  }
}
