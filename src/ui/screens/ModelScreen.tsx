import { FileDrop } from '../components/FileDrop';
import { ScreenHeader } from '../components/ScreenHeader';
import { StatGrid } from '../components/StatGrid';
import { fmtBytes, fmtInt, fmtParams } from '../format';
import { useLab } from '../state/store';
import { configFromHf } from '../../core/model/bertConfig';
import { estimateStepMemory } from '../../core/training/memoryEstimate';

/**
 * Memory of one teacher training step at the study's sequence length (src/core/training/memoryEstimate.ts; the
 * full-size bench prints it next to the measured peak: 0.82 × measured for bert-base at 512, micro-batch 2).
 */
function stepMemory(hfConfig: Record<string, unknown>, microBatch: number, recompute: boolean): number | undefined {
  try {
    const c = configFromHf(hfConfig);
    return estimateStepMemory(c, { seqLen: Math.min(512, c.maxPositionEmbeddings), microBatch, kind: 'teacher', recompute, accumulating: microBatch < 8 }).totalBytes;
  } catch {
    return undefined;
  }
}

export function ModelScreen() {
  const model = useLab((s) => s.baseModel);
  const error = useLab((s) => s.modelError);
  const busy = useLab((s) => s.modelBusy);
  const running = useLab((s) => s.run?.active ?? false);
  const { loadModelFiles, clearModel, go, usePreset } = useLab.getState();
  return (
    <div className="screen">
      <ScreenHeader
        title="Model"
        lead="The teacher starts from a pretrained BERT (the study used bert-base-chinese) or, for a quick demo, from a small random model trained from scratch."
      />
      <div className="grid-2">
        <div className="card">
          <h2>Upload a Hugging Face BERT folder</h2>
          <FileDrop directory onFiles={(f) => void loadModelFiles(f)} disabled={busy || running} testId="model-input">
            <strong>Drop the folder (or its files) here</strong>
            <span className="small muted">config.json · model.safetensors · vocab.txt (tokenizer.json also works)</span>
          </FileDrop>
          {busy && <div className="callout info">Reading weights…</div>}
          {error && (
            <div className="callout bad" role="alert">
              <div>
                <strong>This model can't be used.</strong> {error}
              </div>
            </div>
          )}
        </div>
        <div className="card">
          <h2>Or train from scratch</h2>
          <p className="small">
            No upload needed: a 2-layer, hidden-64 teacher on a character vocabulary built from your dataset. The <b>sample demo</b>{' '}
            widens it to hidden 96 and trains long enough to ask sensible questions about the embedded sample (4–5½ minutes on a CPU), so the stages can be compared;
            the <b>tiny check</b> runs the whole pipeline in seconds, without learning much.
          </p>
          <div className="row">
            <button
              className="btn"
              onClick={() => {
                usePreset('demo');
                go('wizard');
              }}
              data-testid="use-demo"
            >
              Use the sample demo
            </button>
            <button
              className="btn ghost"
              onClick={() => {
                usePreset('tiny');
                go('wizard');
              }}
              data-testid="use-tiny"
            >
              Tiny check
            </button>
          </div>
        </div>
      </div>
      {model && (
        <div className="card" data-testid="model-summary">
          <div className="card-head">
            <div>
              <h2>{model.name}</h2>
              <span className="sub">
                {model.files.join(' · ')} · {fmtBytes(model.bytes)}
              </span>
            </div>
            <div className="row">
              <button className="btn ghost" onClick={() => void clearModel()} disabled={running}>
                Remove
              </button>
              <button
                className="btn primary"
                onClick={() => {
                  usePreset('study');
                  go('wizard');
                }}
              >
                Next: wizard →
              </button>
            </div>
          </div>
          <StatGrid
            stats={[
              { label: 'Layers', value: String(model.layers) },
              { label: 'Hidden size', value: fmtInt(model.hiddenSize) },
              { label: 'Attention heads', value: String(model.heads) },
              { label: 'Vocabulary', value: fmtInt(model.vocabSize) },
              { label: 'Parameters', value: fmtParams(model.parameters) },
              // weights, gradients, AdamW's two moments and the step's activations at sequence 512
              { label: 'Training step, batch 8 at once (est.)', value: fmtBytes(stepMemory(model.config, 8, false) ?? model.parameters * 16) },
              { label: 'Training step, micro-batch 2 + recompute (est.)', value: fmtBytes(stepMemory(model.config, 2, true) ?? model.parameters * 16) },
              { label: 'Inference memory (est.)', value: fmtBytes(model.parameters * 4) },
            ]}
          />
        </div>
      )}
    </div>
  );
}
