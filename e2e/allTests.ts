// Every test of the browser suite, in the order e2e/run.ts runs them: the lab's main flow first (e2e/lab.e2e.ts,
// whose 'lab' fixture the others may build on with `needs: [LAB.…]`), then one file per feature.
import { labTests, type LabTestsOptions } from './lab.e2e';
import type { TestDef } from './suite';

export function allTests(o: LabTestsOptions): TestDef[] {
  return [...labTests(o)];
}
