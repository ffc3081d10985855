import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LossPoint } from '../../../workers/labApi';
import { seriesColor } from '../format';

interface Props {
  points: LossPoint[];
  /** 'total': loss + whole-model terms; 'layers': the per-layer terms (hidden/i, attn/i, …). */
  kind: 'total' | 'layers';
  height?: number;
  /** shown while there are no points (default: "Waiting for the first step…") */
  emptyText?: string;
}

function fmtTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a < 0.01) return v.toExponential(0);
  return String(Number(v.toPrecision(2)));
}

const isLayerTerm = (k: string) => /\/\d+$/.test(k);

function termKeys(points: LossPoint[], kind: Props['kind']): string[] {
  const keys = new Set<string>();
  for (const p of points) for (const k of Object.keys(p.terms)) if (isLayerTerm(k) === (kind === 'layers')) keys.add(k);
  return [...keys].sort((a, b) => {
    const [ga, ia] = a.split('/');
    const [gb, ib] = b.split('/');
    return ga === gb ? Number(ia ?? 0) - Number(ib ?? 0) : ga.localeCompare(gb);
  });
}

/** Loss curves (recharts). Data arrive in the worker's event batches; animation is off so updates stay cheap. */
export const LossChart = memo(function LossChart({ points, kind, height = 240, emptyText }: Props) {
  const keys = useMemo(() => termKeys(points, kind), [points, kind]);
  const data = useMemo(
    () => points.map((p) => ({ step: p.step, ...(kind === 'total' ? { loss: p.loss } : {}), ...p.terms })),
    [points, kind],
  );
  const lines = kind === 'total' ? ['loss', ...keys] : keys;
  if (!points.length || !lines.length) {
    return (
      <div className="empty small" style={{ height }}>
        {kind === 'layers' ? 'Per-layer terms appear during distillation (hidden-state and attention losses).' : emptyText ?? 'Waiting for the first step…'}
      </div>
    );
  }
  return (
    <div style={{ width: '100%', height }} data-testid={`chart-${kind}`} data-series={lines.join(',')}>
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#eceff3" vertical={false} />
          <XAxis dataKey="step" tick={{ fontSize: 11, fill: '#7a8594' }} tickLine={false} axisLine={{ stroke: '#dfe3e8' }} />
          <YAxis tick={{ fontSize: 11, fill: '#7a8594' }} tickLine={false} axisLine={false} width={48} tickFormatter={fmtTick} />
          <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: '#e1e5ea' }} formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(l) => `step ${l}`} />
          <Legend wrapperStyle={{ fontSize: 11.5 }} iconType="plainline" />
          {lines.map((k, i) => (
            <Line
              key={k}
              type="monotone"
              dataKey={k}
              name={k}
              stroke={k === 'loss' ? '#1d2530' : seriesColor(i)}
              strokeWidth={k === 'loss' ? 2.2 : 1.5}
              strokeDasharray={k.startsWith('attn') ? '4 3' : undefined}
              dot={data.length < 12}
              isAnimationActive={false}
              connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
});
