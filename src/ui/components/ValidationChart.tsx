// The validation curve of a node (recharts): the mean cross-entropy of its held-out examples (teacher-forced, no
// dropout) every N steps and after the last, and avg_score of greedy questions when the recipe asks for it. Live
// points come from the run's 'validation' events; after a reload, from the node's stored history (its detail).
import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ValidationPoint } from '../../core/lab/history';
import { useLab } from '../state/store';

interface Props {
  nodeId: string | undefined;
  height?: number;
}

const fmt = (v: number) => String(Number(v.toPrecision(3)));

/** The longer of the live and the stored curve (the live one while the node trains, the stored one after a reload). */
function pick(live: ValidationPoint[] | undefined, stored: ValidationPoint[] | undefined): ValidationPoint[] {
  const a = live ?? [];
  const b = stored ?? [];
  return a.length >= b.length ? a : b;
}

export const ValidationChart = memo(function ValidationChart({ nodeId, height = 190 }: Props) {
  const live = useLab((s) => (nodeId ? s.validation[nodeId] : undefined));
  const stored = useLab((s) => (nodeId && s.detail?.id === nodeId ? s.detail.validation : undefined));
  const heldOut = useLab((s) => (nodeId ? s.nodes[nodeId]?.heldOut : undefined));
  const points = pick(live, stored);
  const scored = points.some((p) => p.avgScore !== undefined);
  const data = useMemo(() => points.map((p) => ({ step: p.step, loss: p.loss, ...(p.avgScore !== undefined ? { avg_score: p.avgScore } : {}) })), [points]);
  if (!nodeId) return null;
  if (!points.length) {
    // a node trained without held-out items says so; otherwise nothing until the first point
    return heldOut === 0 ? (
      <div className="tiny muted" data-testid="validation-none">
        No validation curve: no training items were held out (data.validationItems 0, or a tree trained before held-out validation).
      </div>
    ) : null;
  }
  const last = points[points.length - 1]!;
  return (
    <div data-testid="validation-chart" data-points={points.length}>
      <h3>Validation loss</h3>
      <div className="tiny muted">
        held-out cross-entropy on {last.items} training questions kept out of training ({last.examples} examples, teacher-forced, no dropout) · last{' '}
        {fmt(last.loss)} at step {last.step}
        {last.avgScore !== undefined ? ` · avg_score ${fmt(last.avgScore)} on ${last.scored} (greedy)` : ''}
      </div>
      <div style={{ width: '100%', height }}>
        <ResponsiveContainer>
          <LineChart data={data} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="#eceff3" vertical={false} />
            <XAxis dataKey="step" type="number" domain={[0, last.totalSteps]} tick={{ fontSize: 11, fill: '#7a8594' }} tickLine={false} axisLine={{ stroke: '#dfe3e8' }} />
            <YAxis yAxisId="loss" tick={{ fontSize: 11, fill: '#7a8594' }} tickLine={false} axisLine={false} width={48} tickFormatter={fmt} />
            {scored && <YAxis yAxisId="score" orientation="right" domain={[0, 1]} tick={{ fontSize: 11, fill: '#7a8594' }} tickLine={false} axisLine={false} width={36} />}
            <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: '#e1e5ea' }} formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(l) => `step ${l}`} />
            <Legend wrapperStyle={{ fontSize: 11.5 }} iconType="plainline" />
            <Line yAxisId="loss" type="monotone" dataKey="loss" name="held-out CE" stroke="#c2410c" strokeWidth={2} dot={data.length < 16} isAnimationActive={false} />
            {scored && <Line yAxisId="score" type="monotone" dataKey="avg_score" name="avg_score (greedy)" stroke="#2563eb" strokeWidth={1.5} dot isAnimationActive={false} connectNulls />}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
});
