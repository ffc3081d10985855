import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { LossPoint } from '../../../workers/labApi';
import { chartLines, chartRows, clipForLog, logAxis, yAxisTitle, type ChartRow } from '../charts/lossLines';
import { emaSmooth } from '../charts/smoothing';
import { softTermNote, softTermSetup, vocabSizeOf } from '../charts/softTermNote';
import { seriesColor } from '../format';
import { useChartSettings } from '../state/chartSettings';
import { useLab } from '../state/store';
import { ChartToolbar } from './ChartToolbar';

interface Props {
  points: LossPoint[];
  /** 'total': loss + whole-model terms; 'layers': the per-layer terms (hidden/i, attn/i, …). */
  kind: 'total' | 'layers';
  height?: number;
  /** shown while there are no points (default: "Waiting for the first step…") */
  emptyText?: string;
  /** draw the smoothing / log-scale toolbar above the chart (default true; a screen with one toolbar for several charts passes false) */
  toolbar?: boolean;
  /** the node charted: its distill settings and vocabulary size say the soft term's scale under the chart */
  nodeId?: string;
}

function fmtTick(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 100) return v.toFixed(0);
  if (a < 0.01) return v.toExponential(0);
  // three significant digits: ticks 0.05 apart near 6 (6.05, 6.1, 6.15) read apart
  return String(Number(v.toPrecision(3)));
}

const RAW = '__raw';

/**
 * Loss curves (recharts), with axis titles, TensorBoard's smoothing (the smoothed line strong, the raw one faint
 * behind it) and a log y axis, both from the shared chart settings. Data arrive in the worker's event batches;
 * animation is off so updates stay cheap.
 */
export const LossChart = memo(function LossChart({ points, kind, height = 240, emptyText, toolbar = true, nodeId }: Props) {
  const smoothing = useChartSettings((s) => s.smoothing);
  const logScale = useChartSettings((s) => s.logScale);
  const node = useLab((s) => (nodeId ? s.nodes[nodeId] : undefined));
  const nodes = useLab((s) => s.nodes);
  const lines = useMemo(() => chartLines(points, kind), [points, kind]);
  const drawn = useMemo(() => {
    const rows: ChartRow[] = chartRows(points, kind);
    const keys = lines.map((l) => l.key);
    if (smoothing > 0) {
      for (const k of keys) {
        const smooth = emaSmooth(rows.map((r) => r[k]), smoothing);
        rows.forEach((r, i) => {
          r[k + RAW] = r[k];
          r[k] = smooth[i];
        });
      }
    }
    const allKeys = smoothing > 0 ? [...keys, ...keys.map((k) => k + RAW)] : keys;
    if (!logScale) return { rows, log: false, clipped: 0, floor: undefined as number | undefined, axis: undefined };
    const c = clipForLog(rows, allKeys);
    return { rows: c.rows, log: c.floor !== undefined, clipped: c.clipped, floor: c.floor, axis: logAxis(c.rows, allKeys) };
  }, [points, kind, lines, smoothing, logScale]);

  const softNote = useMemo(() => {
    if (!nodeId || !lines.some((l) => l.key === 'soft')) return undefined;
    const setup = softTermSetup(node?.resolved);
    return setup && softTermNote(setup, vocabSizeOf(nodeId, nodes));
  }, [nodeId, node, nodes, lines]);

  if (!points.length || !lines.length) {
    return (
      <div className="empty small" style={{ height }}>
        {kind === 'layers' ? 'Per-layer terms appear during distillation (hidden-state and attention losses).' : emptyText ?? 'Waiting for the first step…'}
      </div>
    );
  }
  const color = (k: string, i: number) => (k === 'loss' ? '#1d2530' : seriesColor(i));
  return (
    <div className="loss-chart">
      {toolbar && <ChartToolbar />}
      <div
        style={{ width: '100%', height }}
        data-testid={`chart-${kind}`}
        data-series={lines.map((l) => l.key).join(',')}
        data-lines={lines.map((l) => l.name).join(',')}
        data-smoothing={smoothing}
        data-log-scale={drawn.log ? 'yes' : 'no'}
      >
        <ResponsiveContainer>
          <LineChart data={drawn.rows} margin={{ top: 6, right: 16, bottom: 14, left: 8 }}>
            <CartesianGrid stroke="#eceff3" vertical={false} />
            <XAxis
              dataKey="step"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              tick={{ fontSize: 11, fill: '#7a8594' }}
              tickLine={false}
              axisLine={{ stroke: '#dfe3e8' }}
              label={{ value: 'step (optimizer steps)', position: 'insideBottom', offset: -8, fontSize: 11, fill: '#5d6b7d' }}
            />
            <YAxis
              scale={drawn.log ? 'log' : 'auto'}
              domain={drawn.axis?.domain ?? ['auto', 'auto']}
              ticks={drawn.axis?.ticks}
              allowDataOverflow={drawn.log}
              tick={{ fontSize: 11, fill: '#7a8594' }}
              tickLine={false}
              axisLine={false}
              width={56}
              tickFormatter={fmtTick}
              label={{ value: yAxisTitle(points, kind), angle: -90, position: 'insideLeft', offset: 0, fontSize: 11, fill: '#5d6b7d', style: { textAnchor: 'middle' } }}
            />
            <Tooltip
              contentStyle={{ fontSize: 12, borderRadius: 6, borderColor: '#e1e5ea' }}
              formatter={(v) => (typeof v === 'number' ? (Math.abs(v) < 0.001 && v !== 0 ? v.toExponential(3) : v.toFixed(4)) : String(v))}
              labelFormatter={(l) => `step ${l}`}
            />
            <Legend wrapperStyle={{ fontSize: 11.5, paddingTop: 6 }} iconType="plainline" verticalAlign="top" />
            {smoothing > 0 &&
              lines.map((l, i) => (
                <Line
                  key={l.key + RAW}
                  type="linear"
                  dataKey={l.key + RAW}
                  name={`${l.name} (raw)`}
                  stroke={color(l.key, i)}
                  strokeOpacity={0.22}
                  strokeWidth={1}
                  dot={false}
                  activeDot={false}
                  legendType="none"
                  isAnimationActive={false}
                  connectNulls
                  className="raw-line"
                />
              ))}
            {lines.map((l, i) => (
              <Line
                key={l.key}
                type="monotone"
                dataKey={l.key}
                name={smoothing > 0 ? `${l.name} (smoothed)` : l.name}
                stroke={color(l.key, i)}
                strokeWidth={l.key === 'loss' ? 2.2 : 1.5}
                strokeDasharray={l.key.startsWith('attn') ? '4 3' : undefined}
                dot={drawn.rows.length < 12}
                isAnimationActive={false}
                connectNulls
                className="main-line"
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      {logScale && !drawn.log && <p className="tiny muted chart-note">No value above 0 to draw on a log axis: drawn on a linear one.</p>}
      {drawn.clipped > 0 && drawn.floor !== undefined && (
        <p className="tiny muted chart-note" data-testid="log-clipped">
          Log scale: {drawn.clipped} value{drawn.clipped === 1 ? '' : 's'} ≤ 0 drawn at {drawn.floor.toExponential(1)} (a log axis cannot show 0).
        </p>
      )}
      {softNote && (
        <p className="tiny muted chart-note" data-testid="soft-note">
          {softNote}
        </p>
      )}
    </div>
  );
});
