// Labs before NodeRecord v2 kept a second node record in the browser (`lab/nodes/<id>`, the worker's "LabNode")
// next to the runner's `run/nodes/<id>/state.json`. The IndexedDB upgrade merges the two into the one record:
// the runner's record is authoritative for status, steps and timing; the worker's adds the label, run name,
// creation time, recipe options, backend, model facts and scores.
import type { NodeRecord } from '../nodeRecord';
import { migrate } from './recordSchema';
import { NODE_RECORD_SCHEMA } from './schemas';

type Legacy = Record<string, unknown>;

const pick = <T>(v: unknown, ok: (x: unknown) => boolean): T | undefined => (ok(v) ? (v as T) : undefined);
const isNum = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
const isStr = (x: unknown) => typeof x === 'string';
const isObj = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);

export function mergeLegacyLabNode(legacy: Legacy, runState: unknown): NodeRecord {
  const fromRun = runState !== undefined ? migrate(NODE_RECORD_SCHEMA, runState, `run/nodes/${String(legacy.id)}/state.json`) : undefined;
  const base: NodeRecord =
    fromRun ??
    migrate(NODE_RECORD_SCHEMA, {
      id: legacy.id,
      stage: legacy.stage,
      parent: legacy.parent ?? null,
      config: legacy.config ?? {},
      // only the worker knew of it: it never started in the runner
      status: legacy.status === 'done' ? 'failed' : 'queued',
      ...(legacy.status === 'done' ? { error: 'its run files are missing' } : {}),
    });
  const layers = pick<number>(legacy.layers, isNum);
  const hiddenSize = pick<number>(legacy.hiddenSize, isNum);
  const parameters = pick<number>(legacy.parameters, isNum);
  const out: NodeRecord = {
    ...base,
    label: pick<string>(legacy.label, isStr) ?? base.label,
    createdAt: pick<number>(legacy.createdAt, isNum) ?? base.createdAt,
  };
  const runName = pick<string>(legacy.runName, isStr);
  if (runName !== undefined) out.runName ??= runName;
  if (isObj(legacy.runData)) out.data ??= legacy.runData as NodeRecord['data'];
  if (isObj(legacy.runEval)) out.eval ??= legacy.runEval as NodeRecord['eval'];
  const backend = pick<string>(legacy.backend, isStr);
  if (backend !== undefined) out.backend ??= backend;
  if (layers !== undefined && hiddenSize !== undefined && parameters !== undefined) out.model ??= { layers, hiddenSize, parameters };
  if (isObj(legacy.scores)) out.scores ??= legacy.scores as NodeRecord['scores'];
  for (const k of ['genTotalMs', 'genMsPerQuestion', 'evalCount'] as const) {
    const v = pick<number>(legacy[k], isNum);
    if (v !== undefined) out[k] ??= v;
  }
  if (Array.isArray(legacy.layerOrigin)) out.layerOrigin ??= legacy.layerOrigin as number[];
  return out;
}
