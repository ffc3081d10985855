// Every test of the browser suite, in the order e2e/run.ts runs them: the lab's main flow (e2e/lab.e2e.ts), with the
// feature files' tests run on its 'lab' fixture after the forked branch finished (the ones that read the Live
// screen's ended run right after it, before the reload test) and before the main flow's last tests change that tree
// (resume adds an interrupted branch, delete removes the fork). A feature test builds on the
// finished tree with `fixture: 'lab', needs: [LAB.fork]`, or runs on a fresh context without a fixture.
import { chartsTests } from './charts.e2e';
import { evalcoreTests } from './evalcore.e2e';
import { LAB, labTests, type LabTestsOptions } from './lab.e2e';
import { playgroundTests } from './playground.e2e';
import type { TestDef } from './suite';
import { treeTests } from './tree.e2e';
import { wizardTests } from './wizard.e2e';

export function allTests(o: LabTestsOptions): TestDef[] {
  // on the Live screen's ended fork run: before the main flow's reload test clears the session's run
  const afterFork: TestDef[] = [...chartsTests(o)];
  const features: TestDef[] = [...wizardTests(o), ...treeTests(o), ...playgroundTests(o), ...evalcoreTests(o)];
  const main = labTests(o);
  const fork = main.findIndex((t) => t.name === LAB.fork) + 1;
  const at = main.findIndex((t) => t.name.startsWith('resume:'));
  return [...main.slice(0, fork), ...afterFork, ...main.slice(fork, at), ...features, ...main.slice(at)];
}
