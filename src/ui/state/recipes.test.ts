import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateRecipe, type Recipe } from '../../core/experiment/recipe';
import { stageConfigOf } from '../../core/experiment/trainingOptions';
import type { NodeRecord } from '../../core/lab/nodeRecord';
import {
  draftFromNode,
  draftFromRecipe,
  freshIds,
  PRESET_LABELS,
  PRESET_NAMES,
  PRESET_RECIPES,
  presetDraft,
  recipeFromDraft,
  resumeRecipe,
  stoppedNodeOf,
  type IdSource,
  type PresetName,
} from './recipes';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const readRecipe = (rel: string) => validateRecipe(JSON.parse(readFileSync(resolve(repoRoot, rel), 'utf8')));
const PRESETS: PresetName[] = ['study', 'study-logits-only', 'demo', 'tiny'];
/** Gives each stage the id the preset files use, so a draft's recipe can be compared node for node. */
const stageIds: IdSource = (stage) => stage;

const record = (over: Partial<NodeRecord> & Pick<NodeRecord, 'id' | 'stage' | 'parent'>): NodeRecord => ({
  schemaVersion: 1,
  config: {},
  label: over.id,
  createdAt: 0,
  status: 'done',
  ...over,
});

describe('wizard presets', () => {
  it('the preset buttons (PRESET_NAMES, from PRESET_LABELS) offer every preset recipe once', () => {
    expect([...PRESET_NAMES].sort()).toEqual(Object.keys(PRESET_RECIPES).sort());
  });

  for (const p of PRESETS)
    it(`'${p}' gives a valid engine recipe`, () => {
      expect(() => validateRecipe(recipeFromDraft(presetDraft(p), {}, freshIds([])))).not.toThrow();
    });

  it('each preset is its recipe file (not a copy)', () => {
    expect(PRESET_RECIPES.study).toEqual(readRecipe('recipes/study.json'));
    expect(PRESET_RECIPES['study-logits-only']).toEqual(readRecipe('recipes/study-logits-only.json'));
    expect(PRESET_RECIPES.demo).toEqual(readRecipe('recipes/demo-sample.json'));
    expect(PRESET_RECIPES.tiny).toEqual(readRecipe('recipes/tiny-check.json'));
  });

  for (const p of PRESETS)
    it(`'${p}': draft → recipe gives back the file's nodes, data and eval options`, () => {
      const file = PRESET_RECIPES[p];
      const back = recipeFromDraft(presetDraft(p), {}, stageIds);
      expect(back.nodes).toEqual(file.nodes);
      expect([back.data, back.eval]).toEqual([file.data, file.eval]);
      // only the run name differs: the wizard starts with a short one
      expect(back.name).toBe(PRESET_LABELS[p]);
      expect(recipeFromDraft(draftFromRecipe(file), {}, stageIds)).toEqual(file);
    });

  it('the two study presets differ only in what stage 1 distils: every layer, or the logits alone', () => {
    const all = PRESET_RECIPES.study;
    const logits = PRESET_RECIPES['study-logits-only'];
    const strip = (r: Recipe) => r.nodes.map((n) => (n.stage === 'distill' ? { ...n, config: { ...n.config, distill: undefined } } : n));
    expect(strip(logits)).toEqual(strip(all));
    expect([logits.data, logits.eval]).toEqual([all.data, all.eval]);
    const d = (r: Recipe) => stageConfigOf('distill', r.nodes.find((n) => n.stage === 'distill')!.config).distill;
    expect(d(all)).toMatchObject({ schedule: 'all', weights: { hard: 1, soft: 1, hidden: 1, attn: 1 } });
    expect(d(logits)).toMatchObject({ schedule: 'logits-only', weights: { hard: 1, soft: 1, hidden: 0, attn: 0 } });
    // both evaluate as the study's prediction code: long contexts keep their first tokens, references tokenized
    expect(all.eval).toMatchObject({ context: 'head', normalize: 'bert' });
  });

  it('the sample demo is recipes/demo-sample.json (the CLI runs the same tree)', () => {
    const ui = recipeFromDraft(presetDraft('demo'), {}, freshIds([]));
    const cli = readRecipe('recipes/demo-sample.json');
    expect(ui.nodes.map((n) => [n.stage, n.config])).toEqual(cli.nodes.map((n) => [n.stage, n.config]));
    expect([ui.data, ui.eval]).toEqual([cli.data, cli.eval]);
  });

  it('study-tiny.json, a chain, converts both ways too', () => {
    const file = readRecipe('recipes/study-tiny.json');
    expect(recipeFromDraft(draftFromRecipe(file), {}, stageIds)).toEqual(file);
  });

  it('a recipe a draft cannot express is refused, not silently changed', () => {
    expect(() => draftFromRecipe(readRecipe('recipes/alternatives-tiny.json'))).toThrow();
    const file = readRecipe('recipes/study-tiny.json');
    const explicitTeacher: Recipe = {
      ...file,
      nodes: file.nodes.map((n) => (n.stage === 'distill' ? { ...n, config: { ...n.config, teacher: 'teacher' } } : n)),
    };
    expect(() => draftFromRecipe(explicitTeacher)).toThrow(/teacher/);
    expect(() => draftFromRecipe({ ...file, nodes: file.nodes.slice(0, 1) })).toThrow(/student/);
  });
});

describe('node ids', () => {
  it('fresh ids start with the stage, never repeat and avoid the tree', () => {
    const ids = freshIds(['teacher-abcde00'], parseInt('abcde', 36));
    const a = ids('teacher');
    const b = ids('teacher');
    expect(a).toMatch(/^teacher-/);
    expect(a).not.toBe('teacher-abcde00');
    expect(a).not.toBe(b);
  });
});

describe('resume', () => {
  const nodes: Record<string, NodeRecord> = {
    t: record({ id: 't', stage: 'teacher', parent: null, data: { maxSeqLen: 64 }, config: { init: { preset: 'tiny' } } }),
    s: record({ id: 's', stage: 'student', parent: 't', config: { strategy: 'drop-top', k: 1 }, createdAt: 1 }),
    d: record({ id: 'd', stage: 'distill', parent: 's', status: 'cancelled', eval: { beamSize: 2 }, runName: 'run A', createdAt: 2 }),
    x: record({ id: 'x', stage: 'selftrain', parent: 'd', status: 'queued', createdAt: 3 }),
  };

  it('continues the node with its ancestors, the nodes below it and the run options', () => {
    const r = resumeRecipe('d', nodes);
    expect(r.nodes.map((n) => n.id)).toEqual(['t', 's', 'd', 'x']);
    expect(r.data).toEqual({ maxSeqLen: 64 });
    expect(r.eval).toEqual({ beamSize: 2 });
    expect(r.name).toBe('run A');
    expect(() => validateRecipe(r)).not.toThrow();
  });

  it("a stopped run resumes from its first node that is not done (the live screen's Resume)", () => {
    expect(stoppedNodeOf(['t', 's', 'd', 'x'], nodes)).toBe('d');
    expect(stoppedNodeOf(['t', 's'], nodes)).toBeUndefined();
  });

  it('a fork draft reads the node configs and the run options of the records', () => {
    const d = draftFromNode('d', nodes, presetDraft('demo'));
    expect(d.teacher).toMatchObject({ mode: 'reuse', reuseId: 't', init: 'scratch', scratch: { preset: 'tiny' } });
    expect(d.data).toEqual({ maxSeqLen: 64 });
    expect(d.evaluate).toEqual({ beamSize: 2 });
  });
});
