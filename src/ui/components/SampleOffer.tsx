import { useLab } from '../state/store';

/**
 * With no dataset loaded, the embedded sample one click away, where the wizard says a dataset is missing (the
 * README's default demo runs on it). Renders nothing once a dataset is loaded.
 */
export function SampleOffer() {
  const dataset = useLab((s) => s.dataset);
  const busy = useLab((s) => s.datasetBusy);
  const error = useLab((s) => s.datasetError);
  const running = useLab((s) => s.run?.active ?? false);
  const { loadSample } = useLab.getState();
  if (dataset) return null;
  return (
    <div className="row" style={{ marginTop: 8, gap: 8, flexWrap: 'wrap' }} data-testid="sample-offer">
      <button className="btn primary sm" disabled={busy || running} onClick={() => void loadSample()} data-testid="use-embedded-sample">
        {busy ? 'Loading the sample…' : 'Use the embedded sample'}
      </button>
      <span className="small muted">a small synthetic set in DRCD&apos;s format, enough for the Sample demo; or load DRCD on the Data screen</span>
      {error && (
        <span className="small" style={{ color: 'var(--bad)' }}>
          {error.message}
        </span>
      )}
    </div>
  );
}
