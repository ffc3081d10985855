import { useEffect } from 'react';
import { fmtInt } from '../format';
import { SKIP_KINDS, type DataLimits, type SkipKind } from '../state/labExtras';
import { dataOptionsOf, shareText } from '../state/plan';
import { useLab } from '../state/store';
import { NumberField } from './NumberField';
import { StatGrid } from './StatGrid';

/** Counting waits this long after the last change of a limit (typing 512 asks once, not for 5, 51 and 512). */
const DEBOUNCE_MS = 350;

function reasonText(k: SkipKind, l: DataLimits): string {
  switch (k) {
    case 'answer-too-long':
      return `answer longer than ${l.maxAnswerLen} tokens`;
    case 'question-too-long':
      return `question longer than ${l.maxQuestionLen} tokens`;
    case 'context-too-long':
      return `context does not fit ${l.maxSeqLen} tokens with its answer and question`;
    case 'empty-answer':
      return 'answer has no tokens';
    case 'empty-question':
      return 'question has no tokens';
  }
}

/** What training makes of the dataset under the wizard's sequence limits: items kept, skipped by reason, windowed. */
export function DataReportCard() {
  const dataset = useLab((s) => s.dataset);
  const baseModel = useLab((s) => s.baseModel);
  const data = useLab((s) => s.draft.data);
  const forkFrom = useLab((s) => s.forkFrom);
  const report = useLab((s) => s.dataReport);
  const busy = useLab((s) => s.dataReportBusy);
  const error = useLab((s) => s.dataReportError);
  const { setDraft, loadDataReport } = useLab.getState();
  const opts = dataOptionsOf(data);
  const key = JSON.stringify(opts);

  // counts again (debounced) when the limits, the dataset or the vocabulary change
  useEffect(() => {
    if (!dataset) return;
    const t = setTimeout(() => void loadDataReport(JSON.parse(key) as ReturnType<typeof dataOptionsOf>), DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [key, dataset, baseModel?.name, loadDataReport]);

  if (!dataset) return null;
  const stale = !!report && JSON.stringify({ limits: report.limits, policy: report.policy }) !== key;
  const l = opts.limits;
  return (
    <div className="card" data-testid="data-report" data-busy={busy ? 'yes' : 'no'}>
      <div className="card-head">
        <div>
          <h2>What training sees</h2>
          <span className="sub">
            {report ? `counted with ${report.tokenizer}` : 'items that fit the sequence limits'}
            {busy ? ' · counting…' : ''}
          </span>
        </div>
      </div>
      <div className="fields">
        <NumberField
          name="report-maxseq"
          label="Max sequence length"
          hint={forkFrom ? 'fixed by the tree the fork belongs to' : 'context + answer + question tokens'}
          step={1}
          min={8}
          placeholder="512"
          value={data.maxSeqLen}
          onChange={(v) => !forkFrom && setDraft((d) => void (d.data.maxSeqLen = v))}
        />
        <NumberField name="report-maxa" label="Max answer length" hint="answer tokens" step={1} min={1} placeholder="15" value={data.maxAnswerLen} onChange={(v) => setDraft((d) => void (d.data.maxAnswerLen = v))} />
        <NumberField name="report-maxq" label="Max question length" hint="question tokens" step={1} min={1} placeholder="42" value={data.maxQuestionLen} onChange={(v) => setDraft((d) => void (d.data.maxQuestionLen = v))} />
        <div className="field">
          <label htmlFor="report-policy">Long contexts</label>
          <select
            id="report-policy"
            className="input"
            value={data.policy ?? ''}
            onChange={(e) => setDraft((d) => void (d.data.policy = (e.target.value || undefined) as 'skip' | 'window' | undefined))}
          >
            <option value="">default (skip, as the study)</option>
            <option value="skip">skip items that do not fit</option>
            <option value="window">keep a window around the answer</option>
          </select>
          <span className="hint">the wizard's settings: a run uses these</span>
        </div>
      </div>
      {error && <div className="callout warn">The figures are not available: {error}</div>}
      {report && (
        <div style={{ opacity: stale ? 0.55 : 1 }}>
          <StatGrid
            stats={[
              { label: 'Items', value: fmtInt(report.items), hint: 'questions of the dataset' },
              { label: 'Kept', value: shareText(report.kept, report.items), hint: 'items trained on (whole or windowed)' },
              { label: 'Skipped', value: shareText(report.skipped.total, report.items), hint: 'items that do not fit the limits' },
              { label: 'Windowed', value: shareText(report.windowed.total, report.items), hint: 'kept items whose context was cut to a window around the answer' },
              { label: 'BERT-SQG examples', value: fmtInt(report.examples), hint: 'one per question token + 1, per kept item' },
            ]}
          />
          <div className="table-wrap">
            <table className="data" data-testid="skip-reasons">
              <thead>
                <tr>
                  <th style={{ textAlign: 'left' }}>Because the</th>
                  <th>Skipped</th>
                  <th title="kept, with the context cut to a window around the answer (the 'window' policy)">Windowed</th>
                </tr>
              </thead>
              <tbody>
                {SKIP_KINDS.map((k) => {
                  const n = report.skipped.byReason[k] ?? 0;
                  // only a long context can be windowed; the other reasons always skip
                  const w = k === 'context-too-long' ? report.windowed.byReason['context-too-long'] : undefined;
                  return (
                    <tr key={k} data-reason={k} className={n || w ? undefined : 'muted'}>
                      <td className="text">{reasonText(k, report.limits)}</td>
                      <td className="num" data-count="skipped">{shareText(n, report.items)}</td>
                      <td className="num" data-count="windowed">{w === undefined ? '—' : shareText(w, report.items)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p className="small muted">
            Limits {report.limits.maxSeqLen} / {report.limits.maxAnswerLen} / {report.limits.maxQuestionLen} tokens (sequence / answer /
            question), long contexts {report.policy === 'skip' ? 'skipped' : 'windowed'}; counted with {report.tokenizer}.
            {stale ? ` Counting again for ${l.maxSeqLen} / ${l.maxAnswerLen} / ${l.maxQuestionLen}…` : ''}
          </p>
        </div>
      )}
    </div>
  );
}
