import { defaultStageConfig, type StageConfig, type StageKind } from '../../core/training/stageConfig';
import type { TrainFields } from '../state/recipes';
import { NumberField } from './NumberField';

interface FieldSpec {
  key: string;
  label: string;
  hint: string;
  step?: number | 'any';
  min?: number;
  max?: number;
  get(t: TrainFields): number | undefined;
  set(t: TrainFields, v: number | undefined): void;
  def(d: StageConfig): number;
  /** what an empty field means, when it is not a number of the defaults */
  placeholder?: string;
  testId?: string;
}

const flat = (k: keyof TrainFields & keyof StageConfig, label: string, hint: string, step: number | 'any' = 'any', min?: number, max?: number): FieldSpec => ({
  key: k,
  label,
  hint,
  step,
  min,
  max,
  get: (t) => t[k] as number | undefined,
  set: (t, v) => {
    if (v === undefined) delete t[k];
    else (t as Record<string, unknown>)[k] = v;
  },
  def: (d) => d[k] as number,
});

export const TRAIN_FIELDS: FieldSpec[] = [
  flat('epochs', 'Epochs', 'passes over the training split', 1, 1),
  flat('batchSize', 'Batch size', 'examples per optimizer step', 1, 1),
  {
    // StageConfig.microBatchSize (0 / empty: the whole batch at once)
    key: 'microBatchSize',
    label: 'Micro-batch',
    hint: 'gradient accumulation: the batch is reached by micro-batches that fit memory',
    step: 1,
    min: 0,
    get: (t) => (t as { microBatchSize?: number }).microBatchSize,
    set: (t, v) => {
      const r = t as Record<string, unknown>;
      if (v === undefined) delete r.microBatchSize;
      else r.microBatchSize = v;
    },
    def: (d) => (d as { microBatchSize?: number }).microBatchSize ?? 0,
    placeholder: '= batch size',
    testId: 'field-microBatchSize',
  },
  flat('learningRate', 'Learning rate', 'peak AdamW learning rate'),
  {
    key: 'dropout',
    label: 'Dropout',
    hint: 'hidden + attention dropout',
    step: 0.05,
    min: 0,
    max: 0.95,
    get: (t) => t.hiddenDropout,
    set: (t, v) => {
      if (v === undefined) {
        delete t.hiddenDropout;
        delete t.attentionDropout;
      } else {
        t.hiddenDropout = v;
        t.attentionDropout = v;
      }
    },
    def: (d) => d.hiddenDropout,
  },
  flat('trainFraction', 'Data fraction', 'first share of the training split', 0.05, 0, 1),
  flat('warmupRatio', 'Warmup ratio', 'share of steps in linear warmup', 0.05, 0, 1),
  flat('weightDecay', 'Weight decay', 'AdamW decoupled decay', 'any', 0),
  flat('maxGradNorm', 'Max grad norm', 'global-norm clipping (0 = off)', 'any', 0),
  flat('seed', 'Seed', 'initialisation and shuffling', 1, 0),
];

interface Props {
  kind: StageKind;
  value: TrainFields;
  onChange(update: (t: TrainFields) => void): void;
  prefix: string;
}

/** The stage's training options; empty fields show (and use) the engine's defaults. */
export function TrainFieldsForm({ kind, value, onChange, prefix }: Props) {
  const def = defaultStageConfig(kind);
  return (
    <div className="fields">
      {TRAIN_FIELDS.map((f) => (
        <NumberField
          key={f.key}
          name={`${prefix}-${f.key}`}
          label={f.label}
          hint={f.hint}
          step={f.step}
          min={f.min}
          max={f.max}
          placeholder={f.placeholder ?? String(f.def(def))}
          testId={f.testId}
          value={f.get(value)}
          onChange={(v) => onChange((t) => f.set(t, v))}
        />
      ))}
      <div className="field">
        <label className="check">
          <input
            type="checkbox"
            name={`${prefix}-recomputeLayers`}
            checked={value.recomputeLayers ?? def.recomputeLayers}
            onChange={(e) => onChange((t) => void (t.recomputeLayers = e.target.checked))}
          />
          Recompute layers
        </label>
        <span className="hint">saves memory for big models: re-runs each layer in the backward pass (same numbers, slower)</span>
      </div>
    </div>
  );
}
