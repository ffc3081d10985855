// The playground: paste a paragraph, mark an answer (select it, or type it), and see the questions of two nodes
// side by side with their latency — what the study's compression is for.
import { useEffect, useRef } from 'react';
import { PlaygroundSideCard } from '../components/PlaygroundSideCard';
import { ScreenHeader } from '../components/ScreenHeader';
import { fmtParams } from '../format';
import { answerPosition, latencyRatio, playgroundNodes } from '../state/playground';
import { useLab } from '../state/store';
import { WizardEmptyState } from '../components/WizardEmptyState';

const SNIPPET = 60;

export function PlaygroundScreen() {
  const nodes = useLab((s) => s.nodes);
  const pg = useLab((s) => s.playground);
  const running = useLab((s) => !!s.run?.active);
  const hasData = useLab((s) => !!s.dataset);
  const { setPlaygroundContext, markAnswer, typeAnswer, pickPlaygroundNode, setPlaygroundDecode, loadTestItem, defaultPlaygroundNodes, generatePlayground, go } =
    useLab.getState();
  const done = playgroundNodes(nodes);
  const doneKey = done.map((n) => n.id).join(',');
  const area = useRef<HTMLTextAreaElement>(null);

  useEffect(() => defaultPlaygroundNodes(), [doneKey, defaultPlaygroundNodes]);
  useEffect(() => {
    if (!useLab.getState().playground.context) void loadTestItem();
  }, [hasData, loadTestItem]);

  if (!done.length)
    return (
      <div className="screen">
        <ScreenHeader title="Playground" lead="Ask two models for a question about your own paragraph and compare their latency." />
        <div className="card" data-testid="pg-empty">
          <WizardEmptyState>
            <div>No node has a model yet. Run a recipe first: every node it finishes can be asked here.</div>
          </WizardEmptyState>
        </div>
      </div>
    );

  const pos = answerPosition(pg.context, pg.answer);
  const start = pg.answerStart;
  const [a, b] = pg.sides;
  const ra = a.result;
  const rb = b.result;
  const ratio = ra && rb ? latencyRatio(ra.genMs, rb.genMs) : undefined;
  const canGo = !pg.busy && !running && !!pg.context.trim() && !!pg.answer.trim() && pg.sides.some((s) => s.nodeId);
  const onKey = (e: React.KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && canGo) {
      e.preventDefault();
      void generatePlayground();
    }
  };
  const picker = (side: 0 | 1, label: string) => (
    <div className="field">
      <label htmlFor={`pg-node-${side ? 'b' : 'a'}`}>{label}</label>
      <select
        id={`pg-node-${side ? 'b' : 'a'}`}
        className="input"
        data-testid={`pg-node-${side ? 'b' : 'a'}`}
        value={pg.sides[side].nodeId ?? ''}
        onChange={(e) => pickPlaygroundNode(side, e.target.value || null)}
      >
        <option value="">— none —</option>
        {done.map((n) => (
          <option key={n.id} value={n.id}>
            {n.stage}: {n.label} — {n.id}
            {n.scores ? ` (avg ${(n.scores.avg_score * 100).toFixed(1)})` : ''}
          </option>
        ))}
      </select>
    </div>
  );

  return (
    <div className="screen" onKeyDown={onKey} data-testid="playground" data-seq={pg.seq} data-busy={pg.busy ? 'yes' : 'no'}>
      <ScreenHeader
        title="Playground"
        lead="Paste a paragraph, mark an answer, and see two models' questions side by side with their latency: what the compression is for. Prompts and beam search are evaluation's."
      />
      <div className="card">
        <div className="card-head">
          <h2>Paragraph and answer</h2>
          <button className="btn" onClick={() => void loadTestItem()} data-testid="pg-test-item" title="The next item of the loaded dataset's test split (the sample's when none is loaded)">
            Use a test item{pg.items && pg.itemIndex >= 0 ? ` (${pg.itemIndex + 1} of ${pg.items.length})` : ''}
          </button>
        </div>
        {pg.itemsError && <div className="callout warn">{pg.itemsError}</div>}
        <div className="field">
          <label htmlFor="pg-context">Paragraph — select the answer in it to mark it</label>
          <textarea
            id="pg-context"
            ref={area}
            className="input"
            data-testid="pg-context"
            style={{ height: 'auto', minHeight: 120, padding: 10, lineHeight: 1.6, resize: 'vertical' }}
            rows={6}
            value={pg.context}
            onChange={(e) => setPlaygroundContext(e.target.value)}
            onSelect={(e) => {
              const t = e.currentTarget;
              if (t.selectionEnd > t.selectionStart) markAnswer(t.selectionStart, t.selectionEnd);
            }}
          />
        </div>
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <div className="field grow">
            <label htmlFor="pg-answer">Answer — must occur in the paragraph (at most 15 tokens)</label>
            <input id="pg-answer" className="input" data-testid="pg-answer" value={pg.answer} onChange={(e) => typeAnswer(e.target.value)} />
          </div>
          <div className="small" data-testid="pg-answer-pos" data-start={start ?? -1} style={{ paddingBottom: 8 }}>
            {!pg.answer ? (
              <span className="muted">no answer marked</span>
            ) : start === null ? (
              <span style={{ color: 'var(--bad)' }}>not in the paragraph</span>
            ) : (
              <>
                at character {start}
                {pos.occurrences > 1 ? ` (one of ${pos.occurrences} occurrences; select another to mark it)` : ''}
              </>
            )}
          </div>
        </div>
        {start !== null && pg.answer && (
          <div className="small" data-testid="pg-answer-preview" lang="zh" style={{ background: 'var(--surface-2)', borderRadius: 6, padding: '8px 10px', lineHeight: 1.7 }}>
            {start > SNIPPET ? '…' : ''}
            {pg.context.slice(Math.max(0, start - SNIPPET), start)}
            <mark>{pg.context.slice(start, start + pg.answer.length)}</mark>
            {pg.context.slice(start + pg.answer.length, start + pg.answer.length + SNIPPET)}
            {start + pg.answer.length + SNIPPET < pg.context.length ? '…' : ''}
          </div>
        )}
      </div>

      <div className="card">
        <div className="card-head">
          <h2>Models</h2>
          <span className="sub">any done node; default: the root teacher and the best-scoring student</span>
        </div>
        <div className="row" style={{ alignItems: 'flex-end' }}>
          <div className="grow">{picker(0, 'A')}</div>
          <div className="grow">{picker(1, 'B')}</div>
          <div className="field" style={{ width: 110 }}>
            <label htmlFor="pg-beam">Beam width</label>
            <select id="pg-beam" className="input" value={pg.beamSize} onChange={(e) => setPlaygroundDecode({ beamSize: Number(e.target.value) })}>
              {[1, 2, 3, 4, 5].map((k) => (
                <option key={k} value={k}>
                  {k === 1 ? '1 (greedy)' : k}
                </option>
              ))}
            </select>
          </div>
          <label className="check" style={{ paddingBottom: 8 }}>
            <input type="checkbox" data-testid="pg-runs" checked={pg.runs > 1} onChange={(e) => setPlaygroundDecode({ runs: e.target.checked ? 5 : 1 })} />
            time 5 runs
          </label>
          <button className="btn primary" data-testid="pg-generate" disabled={!canGo} onClick={() => void generatePlayground()} title="Ctrl+Enter">
            {pg.busy ? 'Generating…' : 'Generate'}
          </button>
        </div>
        {running && <div className="callout warn">A run is in progress: generate when it has finished (its training would be timed with the question).</div>}
      </div>

      <div className="grid-2">
        <PlaygroundSideCard name="a" side={a} node={a.nodeId ? nodes[a.nodeId] : undefined} busy={pg.busy && !ra && !a.error} />
        <PlaygroundSideCard name="b" side={b} node={b.nodeId ? nodes[b.nodeId] : undefined} busy={pg.busy && !rb && !b.error} />
      </div>
      {ra && rb && (
        <div className="callout info" data-testid="pg-ratio">
          <div>
            <strong>B / A:</strong> latency {ratio !== undefined ? `${ratio.toFixed(2)}×` : '—'} (median generation time
            {ra.genMs.length > 1 ? `s of ${ra.genMs.length} runs` : ''}), parameters {((rb.parameters / ra.parameters) * 100).toFixed(0)} % ({fmtParams(rb.parameters)} of{' '}
            {fmtParams(ra.parameters)}), layers {rb.layers} of {ra.layers}.
          </div>
        </div>
      )}
    </div>
  );
}
