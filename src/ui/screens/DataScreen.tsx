import { DataReportCard } from '../components/DataReportCard';
import { FileDrop } from '../components/FileDrop';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatGrid, type Stat } from '../components/StatGrid';
import { fmtBytes, fmtInt, fmtNum } from '../format';
import { useLab } from '../state/store';

const STAT_LABELS: Record<string, string> = {
  articles: 'Articles',
  paragraphs: 'Paragraphs',
  questions: 'Questions',
  answers: 'Answers',
  meanContextChars: 'Mean context chars',
  maxContextChars: 'Max context chars',
  meanQuestionChars: 'Mean question chars',
  maxQuestionChars: 'Max question chars',
  meanAnswerChars: 'Mean answer chars',
  maxAnswerChars: 'Max answer chars',
};

export function DataScreen() {
  const dataset = useLab((s) => s.dataset);
  const error = useLab((s) => s.datasetError);
  const busy = useLab((s) => s.datasetBusy);
  const running = useLab((s) => s.run?.active ?? false);
  const { loadDatasetFile, loadSample, go } = useLab.getState();

  const stats: Stat[] = dataset
    ? [
        ...Object.entries(dataset.stats)
          .filter(([, v]) => typeof v === 'number')
          .map(([k, v]) => ({ label: STAT_LABELS[k] ?? k, value: Number.isInteger(v) ? fmtInt(v as number) : fmtNum(v as number, 1) })),
        { label: 'Train items', value: fmtInt(dataset.trainItems), hint: 'questions used for training' },
        { label: 'Test items', value: fmtInt(dataset.testItems), hint: 'held-out questions used for evaluation' },
      ]
    : [];

  return (
    <div className="screen">
      <ScreenHeader
        title="Data"
        lead="Question generation learns to write the question for a paragraph and an answer span. Load DRCD (or any SQuAD-format JSON), or start with the embedded sample."
      />
      <div className="grid-2">
        <div className="card">
          <h2>Upload a dataset</h2>
          <FileDrop accept=".json,application/json" onFiles={(f) => void loadDatasetFile(f[0])} disabled={busy || running} testId="dataset-input">
            <strong>Drop a SQuAD-format JSON here</strong>
            <span className="small muted">or click to choose — e.g. DRCD_training.json / DRCD_dev.json</span>
          </FileDrop>
          <p className="small muted">The file stays in this browser (IndexedDB). A fixed, seeded 10% of its questions is held out for evaluation.</p>
        </div>
        <div className="card">
          <h2>Or use the embedded sample</h2>
          <p className="small">A small synthetic set in DRCD's format, enough to try the whole workflow in a couple of minutes.</p>
          <div className="row">
            <button className="btn" onClick={() => void loadSample()} disabled={busy || running} data-testid="use-sample">
              Use sample dataset
            </button>
          </div>
        </div>
      </div>

      {busy && <div className="callout info">Reading and validating…</div>}
      {error && (
        <div className="callout bad" role="alert" data-testid="dataset-error">
          <div>
            <strong>This file can't be used.</strong>{' '}
            {error.path && (
              <>
                At <span className="path">{error.path}</span>:{' '}
              </>
            )}
            {error.reason}
            {error.message.includes('\n') && (
              <pre className="mono" style={{ margin: '6px 0 0', whiteSpace: 'pre-wrap', fontSize: 11.5 }}>
                {error.message}
              </pre>
            )}
            {dataset && <div className="small" style={{ marginTop: 4 }}>The dataset loaded before ({dataset.name}) and your runs are unchanged.</div>}
          </div>
        </div>
      )}

      {dataset && (
        <div className="card" data-testid="dataset-summary">
          <div className="card-head">
            <div>
              <h2>{dataset.name}</h2>
              <span className="sub">
                {dataset.isSample ? 'embedded sample' : fmtBytes(dataset.bytes)} · loaded {new Date(dataset.loadedAt).toLocaleString()}
              </span>
            </div>
            <button className="btn primary" onClick={() => go('model')}>
              Next: model →
            </button>
          </div>
          <StatGrid stats={stats} />
          {dataset.examples.length > 0 && (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Context</th>
                    <th style={{ textAlign: 'left' }}>Answer</th>
                    <th style={{ textAlign: 'left' }}>Question</th>
                  </tr>
                </thead>
                <tbody>
                  {dataset.examples.slice(0, 4).map((e, i) => (
                    <tr key={i}>
                      <td className="text">{e.context.length > 90 ? `${e.context.slice(0, 90)}…` : e.context}</td>
                      <td className="text" style={{ minWidth: 80 }}>{e.answer}</td>
                      <td className="text">{e.question}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
      {dataset && <DataReportCard />}
    </div>
  );
}
