import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { seriesColor } from '../format';
import { METRICS, type CompareRow } from './compareRows';

/** Grouped bars: each metric, one bar per model, as % of the reference teacher (or raw ×100 without one). */
export function CompareChart({ rows, asPct }: { rows: CompareRow[]; asPct: boolean }) {
  const data = METRICS.map((m) => {
    const d: Record<string, string | number> = { metric: m.label };
    rows.forEach((r, i) => {
      const v = asPct ? r.pct[m.key] : r.scores[m.key] * 100;
      if (v !== undefined && Number.isFinite(v)) d[`m${i}`] = Number(v.toFixed(2));
    });
    return d;
  });
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="compare-chart">
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#eceff3" vertical={false} />
          <XAxis dataKey="metric" tick={{ fontSize: 11.5, fill: '#4a5563' }} tickLine={false} axisLine={{ stroke: '#dfe3e8' }} />
          <YAxis tick={{ fontSize: 11, fill: '#7a8594' }} tickLine={false} axisLine={false} width={44} unit={asPct ? '%' : ''} />
          <Tooltip contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: '#e1e5ea' }} cursor={{ fill: '#f0f2f5' }} />
          <Legend wrapperStyle={{ fontSize: 11.5 }} />
          {rows.map((r, i) => (
            <Bar key={r.node.id} dataKey={`m${i}`} name={r.name} fill={seriesColor(i)} radius={[3, 3, 0, 0]} isAnimationActive={false} maxBarSize={28} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
