import { MAX_SMOOTHING } from '../charts/smoothing';
import { useChartSettings } from '../state/chartSettings';

/** The loss charts' smoothing slider and log-scale toggle; the settings are shared by every loss chart. */
export function ChartToolbar() {
  const smoothing = useChartSettings((s) => s.smoothing);
  const logScale = useChartSettings((s) => s.logScale);
  const { setSmoothing, setLogScale } = useChartSettings.getState();
  return (
    <div className="chart-toolbar" data-testid="chart-toolbar">
      <label title="TensorBoard's smoothing: a debiased exponential moving average. The smoothed line is drawn strong, the raw one faint behind it; 0 draws the raw values only.">
        Smoothing
        <input
          type="range"
          min={0}
          max={MAX_SMOOTHING}
          step={0.01}
          value={smoothing}
          onChange={(e) => setSmoothing(Number(e.target.value))}
          data-testid="chart-smoothing"
          aria-label="smoothing weight"
        />
        <span className="num">{smoothing.toFixed(2)}</span>
      </label>
      <label title="A logarithmic y axis: terms of very different sizes (hard CE, soft CE, MSEs) read side by side">
        <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} data-testid="chart-log" />
        Log scale
      </label>
    </div>
  );
}
