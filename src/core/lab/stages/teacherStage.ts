// Teacher: where its weights start (a pretrained base folder such as bert-base-chinese, or a random preset), then
// ordinary BERT-SQG fine-tuning with hard cross-entropy at [MASK] (SQG_train.py).
import { bertPresets, type BertConfig } from '../../model/bertConfig';
import { BertForMaskedLM } from '../../model/bertForMaskedLM';
import { checkTrainingConfig, stageConfigOf } from '../../experiment/trainingOptions';
import { isInt, isObj } from './configChecks';
import type { ProduceContext, StageDefinition } from './stageDefinition';

export type ModelPreset = 'tiny' | 'mini' | 'small';
export const MODEL_PRESETS: readonly ModelPreset[] = ['tiny', 'mini', 'small'];

/** A random init: a preset plus optional shape overrides (e.g. a deeper tiny model). */
export interface TeacherInit {
  preset: ModelPreset;
  layers?: number;
  hidden?: number;
  heads?: number;
  intermediate?: number;
}
/** Plus the training module's StageConfig fields (epochs, learningRate, ...); its `seed` also seeds the init. */
export interface TeacherNodeConfig extends Record<string, unknown> {
  init: 'pretrained' | TeacherInit;
}

const INIT_KEYS = ['preset', 'layers', 'hidden', 'heads', 'intermediate'] as const;

function initProblems(init: unknown): string[] {
  if (init === 'pretrained') return [];
  if (!isObj(init)) return [`config.init must be 'pretrained' or {"preset": ${MODEL_PRESETS.map((p) => `'${p}'`).join(' | ')}}`];
  const p: string[] = [];
  if (!MODEL_PRESETS.includes(init.preset as ModelPreset))
    p.push(`config.init.preset must be one of ${MODEL_PRESETS.join(', ')} (got ${JSON.stringify(init.preset)})`);
  for (const k of ['layers', 'hidden', 'heads', 'intermediate'] as const) {
    const v = init[k];
    if (v !== undefined && !(isInt(v) && v >= 1)) p.push(`config.init.${k} must be a positive integer`);
  }
  for (const k of Object.keys(init)) if (!(INIT_KEYS as readonly string[]).includes(k)) p.push(`config.init: unknown option '${k}'`);
  if (isInt(init.hidden) && isInt(init.heads) && init.hidden % init.heads !== 0)
    p.push(`config.init.hidden (${init.hidden}) must be a multiple of heads (${init.heads})`);
  return p;
}

/** The teacher's starting model: the base model's weights, or a random init of its preset shape. */
/**
 * The teacher before training: the base model's weights, or a fresh model of the preset's shape. `dropout` (the
 * stage's rates) goes into its config, so the saved config.json says what it trained with (as the study's does).
 */
export function initTeacherModel(
  ctx: Pick<ProduceContext, 'tokenizer' | 'limits' | 'base'>,
  cfg: TeacherNodeConfig,
  seed: number,
  dropout?: { hidden: number; attention: number },
): BertForMaskedLM {
  const { tokenizer: tok, limits } = ctx;
  const rates = dropout ? { hiddenDropoutProb: dropout.hidden, attentionProbsDropoutProb: dropout.attention } : {};
  if (cfg.init === 'pretrained') {
    const base = ctx.base;
    if (!base) throw new Error("init 'pretrained' needs a base model (CLI: --base DIR with config.json + model.safetensors or pytorch_model.bin)");
    if (base.config.vocabSize !== tok.vocabSize)
      throw new Error(`the base model's vocabulary (${base.config.vocabSize}) does not match the tokenizer's (${tok.vocabSize})`);
    if (base.config.maxPositionEmbeddings < limits.maxSeqLen)
      throw new Error(`maxSeqLen ${limits.maxSeqLen} exceeds the base model's ${base.config.maxPositionEmbeddings} positions`);
    return BertForMaskedLM.fromStateDict({ ...base.config, ...rates }, base.stateDict);
  }
  const init = cfg.init;
  const c = bertPresets[init.preset](tok.vocabSize, limits.maxSeqLen);
  const config: BertConfig = {
    ...c,
    numHiddenLayers: init.layers ?? c.numHiddenLayers,
    hiddenSize: init.hidden ?? c.hiddenSize,
    numAttentionHeads: init.heads ?? c.numAttentionHeads,
    intermediateSize: init.intermediate ?? c.intermediateSize,
    ...rates,
  };
  return BertForMaskedLM.create(config, seed);
}

export const teacherStage: StageDefinition = {
  kind: 'teacher',
  title: 'Teacher: fine-tune a BERT (pretrained or from scratch) on BERT-SQG examples',
  root: true,
  trains: true,
  validate(cfg, { node }) {
    const p: string[] = [];
    if (node.parent !== null) p.push(`a teacher node starts a tree: its parent must be null (got '${node.parent}')`);
    p.push(...initProblems(cfg.init), ...checkTrainingConfig('teacher', cfg));
    return p;
  },
  resolve: (cfg) => ({ init: cfg.init, ...stageConfigOf('teacher', cfg) }),
  label(c) {
    if (c.init === 'pretrained') return 'Teacher · pretrained';
    const i = (isObj(c.init) ? c.init : {}) as Partial<TeacherInit>;
    return `Teacher · ${String(i.preset ?? 'scratch')}${i.layers ? ` ${i.layers}L` : ''}${i.hidden ? ` h${i.hidden}` : ''}`;
  },
  dependencies: () => [],
  async produce(ctx) {
    const cfg = ctx.node.config as TeacherNodeConfig;
    const sc = stageConfigOf('teacher', cfg);
    const model = initTeacherModel(ctx, cfg, sc.seed, { hidden: sc.hiddenDropout, attention: sc.attentionDropout });
    return ctx.train('teacher', model, undefined, ctx.record);
  },
};
