// One side of the playground: the node's question, its tokens, latency (generation apart from the model's load) and
// size, the prompt's cut when the paragraph was too long, or the error that stopped it.
import type { NodeRecord } from '../../../workers/labApi';
import { fmtInt, fmtMs, fmtParams } from '../format';
import type { PlaygroundSide } from '../state/slices/playgroundSlice';
import { timing } from '../state/playground';
import { StatGrid, type Stat } from './StatGrid';

export function PlaygroundSideCard({ name, side, node, busy }: { name: string; side: PlaygroundSide; node: NodeRecord | undefined; busy: boolean }) {
  const r = side.result;
  const t = r ? timing(r.genMs) : undefined;
  const stats: Stat[] = r
    ? [
        {
          label: t!.runs > 1 ? `Generation, median of ${t!.runs}` : 'Generation',
          value: fmtMs(t!.median),
          hint: t!.runs > 1 ? `runs: ${r.genMs.map((m) => fmtMs(m)).join(', ')}` : 'wall time of the beam search for this question',
        },
        ...(t!.runs > 1 ? [{ label: 'Spread (min – max)', value: `${fmtMs(t!.min)} – ${fmtMs(t!.max)}` }] : []),
        {
          label: 'Model load',
          value: r.loaded ? fmtMs(r.loadMs) : 'cached',
          hint: r.loaded ? 'reading the stored model, building it and an untimed warm-up decode (first call only)' : 'the model was loaded by an earlier call',
        },
        { label: 'Parameters', value: fmtParams(r.parameters), hint: `${fmtInt(r.parameters)} parameters` },
        { label: 'Layers', value: `${r.layers} × ${r.hiddenSize}`, hint: 'encoder layers × hidden size' },
      ]
    : [];
  return (
    <div className="card" data-testid={`pg-result-${name}`} data-node-id={side.nodeId ?? ''} data-state={busy ? 'busy' : r ? 'done' : side.error ? 'error' : 'idle'}>
      <div className="card-head">
        <h2>
          {name.toUpperCase()}: {node ? node.label : 'no node picked'}
        </h2>
        {node && <span className="sub">{node.stage} · {node.id}</span>}
      </div>
      {side.error ? (
        <div className="callout bad" role="alert" data-testid="pg-error">
          {side.error}
        </div>
      ) : r ? (
        <>
          <div style={{ fontSize: 20, fontWeight: 650, minHeight: 28 }} data-testid="pg-question" lang="zh">
            {r.question || <span className="muted">(an empty question: the model wrote [SEP] first)</span>}
          </div>
          <div className="tiny muted" data-testid="pg-tokens" style={{ fontFamily: 'var(--mono)', wordBreak: 'break-all' }}>
            {r.tokens.length} tokens: {r.tokens.join(' ')}
          </div>
          <div data-testid="pg-latency" data-gen-ms={t!.median.toFixed(1)} data-load-ms={r.loadMs.toFixed(1)}>
            <StatGrid stats={stats} />
          </div>
          <div className="tiny muted">
            Beam {r.beamSize}; prompt {r.prompt.promptTokens} of {r.prompt.limits.maxSeqLen} tokens ({r.prompt.keptTokens} of the paragraph, {r.prompt.answerTokens} of
            the answer){r.prompt.unknownTokens > 0 ? `; ${r.prompt.unknownTokens} paragraph tokens unknown to this vocabulary ([UNK])` : ''}.
          </div>
          {r.prompt.cut && (
            <div className={`callout ${r.prompt.cut.answer === 'kept' ? 'warn' : 'bad'}`} data-testid="pg-cut">
              {r.prompt.cut.text}
            </div>
          )}
        </>
      ) : (
        <div className="empty small">{busy ? 'Generating…' : 'Press Generate (Ctrl+Enter).'}</div>
      )}
    </div>
  );
}
