// Server-renders the new panels from store states (no DOM needed): the test ids the e2e suite and the brief name are
// there, with the figures in them.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { DataReportCard } from './components/DataReportCard';
import { RunPlanCard } from './components/RunPlanCard';
import { SampleOffer } from './components/SampleOffer';
import { StorageMeter } from './components/StorageMeter';
import { TrainFieldsForm } from './components/TrainFieldsForm';
import { LiveScreen } from './screens/LiveScreen';
import { TreeScreen } from './screens/TreeScreen';
import { dataReportOf, skippedBy } from '../core/data/testing/dataReports';
import { WizardScreen } from './screens/WizardScreen';
import { useLab } from './state/store';
import { testRecord } from './state/testing/nodeRecords';

const GB = 1024 ** 3;
const record = testRecord;
const html = (c: (props: never) => unknown, props: object = {}) => renderToStaticMarkup(createElement(c as never, props));
// a server render reads the store's initial state (useSyncExternalStore's server snapshot): the test sets that one
const setState = (p: Partial<ReturnType<typeof useLab.getState>>) => void Object.assign(useLab.getInitialState(), p);

describe('full-size panels', () => {
  it('data report', () => {
    setState({
      dataset: { name: 'DRCD_dev.json' } as never,
      dataReport: {
        ...dataReportOf({ items: 3524, kept: 2242, skipped: skippedBy({ 'context-too-long': 1282 }), examples: 40_000 }),
        tokenizer: "bert-base-chinese's vocabulary",
      },
    });
    const out = html(DataReportCard);
    expect(out).toContain('data-testid="data-report"');
    expect(out).toContain('1,282 of 3,524 (36.4%)');
    expect(out).toContain('bert-base-chinese&#x27;s vocabulary');
  });

  it('plan, with storage that does not fit', () => {
    setState({
      backend: { backend: 'webgpu', reasons: [], notes: [], initMs: 1 },
      planKey: 'k',
      plan: {
        backend: 'webgpu',
        stages: [
          { nodeId: 'teacher-new', stage: 'teacher', label: 'T', examples: 352_000, batchSize: 8, microBatchSize: 8, stepsPerEpoch: 44_000, epochs: 5, totalSteps: 220_000, secondsPerStep: 1, projectedMs: 220_000_000 },
          { nodeId: 'student-new', stage: 'student', label: 'S', examples: 0, batchSize: 0, microBatchSize: 0, stepsPerEpoch: 0, epochs: 0, totalSteps: 0 },
        ],
        totalMs: 220_000_000,
        storage: { bytes: 4.1 * GB, perNode: { 'teacher-new': 2 * GB }, usage: 8 * GB, quota: 10 * GB, fits: false },
        data: undefined as never,
        knobs: [{ name: 'trainFraction 0.5', effect: 'halves the distill stage: ≈ 3 h 10 min' }],
      },
    });
    const out = html(RunPlanCard, { planKey: 'k' });
    expect(out).toContain('data-testid="run-plan"');
    expect(out).toContain('teacher: 5 epochs × 44,000 steps ≈ 61 h 7 min on this backend');
    expect(out).toContain('callout bad');
    expect(out).toContain('this tree needs 4.10 GB but the browser grants 2.00 GB more');
    expect(out).toContain('halves the distill stage');
    expect(html(RunPlanCard, { planKey: 'other' })).toContain('data-stale="yes"');
  });

  it('storage meter, tree and node sizes', () => {
    setState({
      storage: { labBytes: 3 * GB, byArea: {}, byNode: { a: 1.5 * GB }, usage: 3 * GB, quota: 10 * GB },
      persistent: false,
      nodes: { a: record('a', { status: 'cancelled', steps: 10 }) },
      selectedId: 'a',
      run: null,
    });
    const meter = html(StorageMeter);
    expect(meter).toContain('the browser may evict this data under storage pressure');
    expect(meter).toContain('data-testid="drop-checkpoints"');
    expect(meter).toContain('Drop resume checkpoints');
    const tree = html(TreeScreen);
    expect(tree).toContain('1.50 GB');
    expect(tree).toContain('data-testid="node-bytes"');
  });

  it('live screen: a hint and its buttons', () => {
    setState({
      backend: { backend: 'webgpu', reasons: [], notes: [], initMs: 1 },
      nodes: { a: record('a', { status: 'failed', steps: 10 }) },
      run: {
        active: false,
        name: 'r',
        nodeIds: ['a'],
        startedAt: 0,
        outcome: { status: 'failed', error: 'x', hint: { kind: 'out-of-memory', message: 'out of memory at batch 8', tryBackends: ['wasm', 'webgpu'], tryMicroBatch: 4 } },
      },
    });
    const out = html(LiveScreen);
    expect(out).toContain('data-testid="run-hint"');
    expect(out).toContain('Resume on wasm');
    expect(out).not.toContain('Resume on webgpu');
    expect(out).toContain('Resume with micro-batch 4');
    expect(out).toContain('data-testid="resume-run"');
  });

  it('micro-batch field', () => {
    const out = html(TrainFieldsForm, { kind: 'distill', prefix: 'distill', value: { microBatchSize: 2 }, onChange: () => undefined });
    expect(out).toMatch(/data-testid="field-microBatchSize"[^>]*value="2"|value="2"[^>]*data-testid="field-microBatchSize"/);
    expect(out).toContain('gradient accumulation');
  });

  it("wizard's last step: Plan beside Run", () => {
    setState({ wizardStep: 4, nodes: {}, run: null, forkFrom: null, planBusy: false, plan: null, dataset: { name: 'd' } as never });
    useLab.getState().usePreset('tiny');
    Object.assign(useLab.getInitialState(), { draft: useLab.getState().draft });
    const out = html(WizardScreen);
    expect(out).toContain('data-testid="plan-run"');
    expect(out).toMatch(/data-testid="run"[^>]*>Run recipe</);
    expect(out).toContain('data-testid="recipe-table"');
  });

  it('the embedded sample is offered while no dataset is loaded, says when it is loading, and is gone once one is', async () => {
    setState({ dataset: null, datasetBusy: false, datasetError: null, run: null });
    const out = html(SampleOffer);
    expect(out).toContain('data-testid="use-embedded-sample"');
    expect(out).toContain('Use the embedded sample');
    expect(out).not.toContain('disabled');
    setState({ datasetBusy: true });
    expect(html(SampleOffer)).toContain('Loading the sample…');
    setState({ datasetBusy: false, dataset: { name: 'Embedded sample' } as never });
    expect(html(SampleOffer)).toBe('');
  });

  it('after a reload the live screen offers the run that stopped, until it is dismissed', () => {
    const nodes = {
      t: record('t', { status: 'done', startedAt: 1 }),
      s: record('s', { stage: 'selftrain', parent: 't', status: 'cancelled', error: 'interrupted (the page was closed or reloaded)', steps: 8, totalSteps: 24, startedAt: 2, label: 'Self-train' }),
    };
    setState({ run: null, nodes, dismissedStops: [] });
    const out = html(LiveScreen);
    expect(out).toContain('data-testid="stopped-runs"');
    expect(out).toContain('Self-train was interrupted at step 8 of 24.');
    expect(out).toContain('data-resume-node="s"');
    expect(out).toContain('data-dismiss-stop="s"');
    setState({ dismissedStops: ['s:8:cancelled'] });
    expect(html(LiveScreen)).not.toContain('stopped-runs');
  });
});
