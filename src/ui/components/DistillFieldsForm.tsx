import { NAMED_LAYER_MAPS } from '../../core/training/layerMaps';
import { SCHEDULE_KINDS, type ScheduleKind } from '../../core/training/schedules';
import { defaultStageConfig } from '../../core/training/stageConfig';
import type { TrainFields } from '../state/recipes';
import { NumberField } from './NumberField';

interface Props {
  value: TrainFields;
  onChange(update: (t: TrainFields) => void): void;
}

const SCHEDULE_LABELS: Record<ScheduleKind, string> = {
  all: 'all at once',
  progressive: 'progressive (bottom-up)',
  layerwise: 'layerwise (one at a time)',
  'logits-only': 'logits only',
};
const LAYER_MAP_LABELS: Record<(typeof NAMED_LAYER_MAPS)[number], string> = {
  study: 'study (e ↔ 2e)',
  'pkd-skip': 'PKD skip (spaced)',
  'pkd-last': 'PKD last (top)',
};

/** Distillation loss: which terms, how weighted, which teacher layer each student layer imitates. */
export function DistillFieldsForm({ value, onChange }: Props) {
  const def = defaultStageConfig('distill').distill;
  const d = value.distill ?? {};
  const w = d.weights ?? {};
  const setD = (fn: (d: NonNullable<TrainFields['distill']>) => void) =>
    onChange((t) => {
      t.distill = { ...(t.distill ?? {}) };
      fn(t.distill);
    });
  const layerMap = typeof d.layerMap === 'string' ? d.layerMap : d.layerMap ? 'custom' : '';
  return (
    <div className="fields">
      <div className="field">
        <label htmlFor="f-schedule">Schedule</label>
        <select
          id="f-schedule"
          className="input"
          value={d.schedule ?? ''}
          onChange={(e) => setD((x) => (e.target.value ? (x.schedule = e.target.value as ScheduleKind) : delete x.schedule))}
        >
          <option value="">default ({def.schedule})</option>
          {SCHEDULE_KINDS.map((s) => (
            <option key={s} value={s}>
              {SCHEDULE_LABELS[s]}
            </option>
          ))}
        </select>
        <span className="hint">when the per-layer terms train: all at once, joining bottom-up, one at a time, or none</span>
      </div>
      <div className="field">
        <label htmlFor="f-layermap">Layer map</label>
        <select
          id="f-layermap"
          className="input"
          value={layerMap}
          onChange={(e) => setD((x) => (e.target.value ? (x.layerMap = e.target.value as (typeof NAMED_LAYER_MAPS)[number]) : delete x.layerMap))}
        >
          <option value="">default ({String(def.layerMap)})</option>
          {NAMED_LAYER_MAPS.map((m) => (
            <option key={m} value={m}>
              {LAYER_MAP_LABELS[m]}
            </option>
          ))}
          {layerMap === 'custom' && <option value="custom">custom pairs</option>}
        </select>
        <span className="hint">which teacher layer each student layer imitates</span>
      </div>
      <div className="field">
        <label htmlFor="f-softform">Soft loss</label>
        <select
          id="f-softform"
          className="input"
          value={d.softForm ?? ''}
          onChange={(e) =>
            setD((x) => {
              if (e.target.value) x.softForm = e.target.value as 'study' | 'mask';
              else delete x.softForm;
              if (x.softForm !== 'mask') delete x.temperature;
            })
          }
        >
          <option value="">default ({def.softForm})</option>
          <option value="study">study (all positions)</option>
          <option value="mask">[MASK] row + temperature</option>
        </select>
        <span className="hint">study: CE over every position at T = 1; [MASK]: Hinton KD with a temperature</span>
      </div>
      {d.softForm === 'mask' && (
        <NumberField
          name="distill-temperature"
          label="Temperature"
          hint="softens both distributions"
          value={d.temperature}
          placeholder={String(def.temperature)}
          min={0}
          onChange={(v) => setD((x) => (v === undefined ? delete x.temperature : (x.temperature = v)))}
        />
      )}
      {(['hard', 'soft', 'hidden', 'attn'] as const).map((k) => (
        <NumberField
          key={k}
          name={`distill-w-${k}`}
          label={`Weight · ${k === 'attn' ? 'attention' : k}`}
          hint={
            k === 'hard' ? 'CE on the real question token' : k === 'soft' ? 'CE on the teacher distribution' : k === 'hidden' ? 'MSE per mapped hidden state' : 'MSE per mapped attention map'
          }
          min={0}
          value={w[k]}
          placeholder={String(def.weights[k])}
          onChange={(v) =>
            setD((x) => {
              x.weights = { ...(x.weights ?? {}) };
              if (v === undefined) delete x.weights[k];
              else x.weights[k] = v;
            })
          }
        />
      ))}
    </div>
  );
}
