import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../core/lab/history';
import { chartLines, chartRows, clipForLog, logAxis, lossIsHardCe, termKeys, yAxisTitle } from './lossLines';

const pt = (step: number, loss: number, terms: Record<string, number>): HistoryPoint => ({ step, epoch: 0, loss, lr: 1e-4, terms, n: 1 });

describe('loss ≡ hard CE: one line', () => {
  it('teacher/self-train (loss is the logits term at every point) draws one line named "loss (hard CE)"', () => {
    const pts = [pt(1, 5.25, { logits: 5.25 }), pt(2, 4.5, { logits: 4.5 * (1 + 5e-10) })];
    expect(lossIsHardCe(pts)).toBe(true);
    expect(chartLines(pts, 'total')).toEqual([{ key: 'loss', name: 'loss (hard CE)' }]);
  });

  it('one point apart by more than 1e-9 relative keeps both lines', () => {
    const pts = [pt(1, 5.25, { logits: 5.25 }), pt(2, 4.5, { logits: 4.5 * (1 + 1e-8) })];
    expect(lossIsHardCe(pts)).toBe(false);
    expect(chartLines(pts, 'total').map((l) => l.key)).toEqual(['loss', 'logits']);
  });

  it('distillation (loss = hard + soft + MSE) keeps the total and each term; a point without the hard CE is not equal', () => {
    const pts = [pt(1, 6, { logits: 5, soft: 0.0002, 'hidden/1': 0.9, 'attn/1': 0.1 })];
    expect(lossIsHardCe(pts)).toBe(false);
    expect(chartLines(pts, 'total')).toEqual([
      { key: 'loss', name: 'loss (weighted sum)' },
      { key: 'logits', name: 'hard CE' },
      { key: 'soft', name: 'soft CE' },
    ]);
    expect(lossIsHardCe([pt(1, 6, { soft: 6 })])).toBe(false);
    expect(lossIsHardCe([])).toBe(false);
  });

  it('a distill node on the logit terms only (hard + soft, no layers) keeps three lines', () => {
    expect(chartLines([pt(1, 5.0002, { logits: 5, soft: 0.0002 })], 'total').map((l) => l.key)).toEqual(['loss', 'logits', 'soft']);
  });
});

describe('per-layer terms and axis titles', () => {
  it('layer terms in layer order, named as MSEs', () => {
    const pts = [pt(1, 6, { logits: 5, 'hidden/2': 1, 'hidden/10': 1, 'attn/1': 1, 'hidden/1': 1 })];
    expect(termKeys(pts, 'layers')).toEqual(['attn/1', 'hidden/1', 'hidden/2', 'hidden/10']);
    expect(chartLines(pts, 'layers').map((l) => l.name)).toEqual(['attention/1 MSE', 'hidden/1 MSE', 'hidden/2 MSE', 'hidden/10 MSE']);
  });

  it('nats for cross-entropies; a total with MSE terms says it adds them', () => {
    expect(yAxisTitle([pt(1, 5, { logits: 5 })], 'total')).toBe('loss (nats)');
    expect(yAxisTitle([pt(1, 6, { logits: 5, 'hidden/1': 1 })], 'total')).toBe('loss: CE (nats) + MSE');
    expect(yAxisTitle([pt(1, 6, { logits: 5, 'hidden/1': 1 })], 'layers')).toBe('MSE (squared units)');
  });
});

describe('clipForLog', () => {
  it('raises values <= 0 to a tenth of the smallest positive value and counts them', () => {
    const rows = chartRows([pt(1, 2, { logits: 2, 'hidden/0': 0 }), pt(2, 1, { logits: 1, 'hidden/0': 0.5 })], 'total');
    const r = clipForLog(rows, ['loss', 'logits', 'hidden/0']);
    expect(r.floor).toBeCloseTo(0.05, 12);
    expect(r.clipped).toBe(1);
    expect(r.rows[0]!['hidden/0']).toBeCloseTo(0.05, 12);
    expect(r.rows[1]!['hidden/0']).toBe(0.5);
    expect(rows[0]!['hidden/0']).toBe(0); // input untouched
  });

  it('no positive value: no floor, nothing clipped', () => {
    const r = clipForLog([{ step: 1, a: 0 }], ['a']);
    expect(r.floor).toBeUndefined();
    expect(r.clipped).toBe(0);
  });
});

describe('logAxis', () => {
  it('spans whole decades with a tick at each power of ten', () => {
    const a = logAxis([{ step: 1, a: 6.3, b: 0.013 }], ['a', 'b']);
    expect(a).toEqual({ domain: [0.01, 10], ticks: [0.01, 0.1, 1, 10] });
  });
  it('one decade gets 2× and 5× ticks; no positive value gives no axis', () => {
    expect(logAxis([{ step: 1, a: 6.3 }, { step: 2, a: 6.1 }], ['a'])).toEqual({ domain: [1, 10], ticks: [1, 2, 5, 10] });
    expect(logAxis([{ step: 1, a: 0 }], ['a'])).toBeUndefined();
  });
});
