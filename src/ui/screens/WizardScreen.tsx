import { useMemo } from 'react';
import { RecipeError, STAGES, validateRecipe, type Recipe } from '../../core/experiment/recipe';
import { STUDENT_STRATEGIES, type StudentStrategy } from '../../core/lab/stages/studentStage';
import { MODEL_PRESETS as PRESETS, type ModelPreset } from '../../core/lab/stages/teacherStage';
import { DistillFieldsForm } from '../components/DistillFieldsForm';
import { LayerPicker } from '../components/LayerPicker';
import { NumberField } from '../components/NumberField';
import { RunPlanCard } from '../components/RunPlanCard';
import { ScreenHeader } from '../components/ScreenHeader';
import { TrainFieldsForm } from '../components/TrainFieldsForm';
import { WizardStepper, WIZARD_STEPS } from '../components/WizardStepper';
import { STAGE_NAMES } from '../format';
import { keptLayers, labelFor, PRESET_LABELS, PRESET_NAMES, presetHidden, presetLayers, previewIds, recipeForWizard, teacherLayers } from '../state/recipes';
import { planKeyOf } from '../state/slices/wizardSlice';
import { useLab } from '../state/store';
import { RecipeFileButton } from '../components/RecipeFileButton';
import { SampleOffer } from '../components/SampleOffer';
import { ConfigFields } from '../components/ConfigFields';
import { SuggestionCallout } from '../components/SuggestionCallout';

const STRATEGY_LABELS: Record<StudentStrategy, string> = {
  'drop-top': 'drop the top k layers (study)',
  'drop-bottom': 'drop the bottom k layers',
  alternate: 'drop every other layer',
  keep: 'pick layers by hand',
};
const presetLabel = (p: ModelPreset) => `${p} — ${presetLayers(p)} layers, hidden ${presetHidden(p)}`;

export function WizardScreen() {
  const draft = useLab((s) => s.draft);
  const step = useLab((s) => s.wizardStep);
  const nodes = useLab((s) => s.nodes);
  const baseModel = useLab((s) => s.baseModel);
  const dataset = useLab((s) => s.dataset);
  const forkFrom = useLab((s) => s.forkFrom);
  const running = useLab((s) => s.run?.active ?? false);
  const planBusy = useLab((s) => s.planBusy);
  const { setDraft, setWizardStep, usePreset, runWizard, planWizard } = useLab.getState();
  const forkNode = forkFrom ? nodes[forkFrom] : undefined;
  const firstEditable = forkNode ? STAGES.indexOf(forkNode.stage) : 0;

  const nTeacher = teacherLayers(draft, nodes, baseModel?.layers);
  const kept = keptLayers(draft.student, nTeacher);
  const doneTeachers = Object.values(nodes).filter((n) => n.stage === 'teacher' && n.status === 'done');

  const { recipe, problems } = useMemo(() => {
    let recipe: Recipe | null = null;
    const problems: string[] = [];
    try {
      // a preview with stand-in ids for the new nodes: runWizard gives them their ids when the run starts
      recipe = recipeForWizard(draft, forkFrom, nodes, previewIds);
      validateRecipe(recipe);
    } catch (e) {
      if (e instanceof RecipeError) problems.push(...e.problems.map((p) => p.message));
      else problems.push(e instanceof Error ? e.message : String(e));
    }
    if (draft.teacher.mode === 'new' && draft.teacher.init === 'pretrained' && !baseModel && !(forkNode && forkNode.stage !== 'teacher'))
      problems.push('The teacher starts from a pretrained model: upload one on the Model screen, or choose "from scratch".');
    if (kept.length === 0 || kept.length >= nTeacher) problems.push(`The student must keep between 1 and ${nTeacher - 1} of the teacher's ${nTeacher} layers.`);
    if (!dataset) problems.push('Load a dataset first (Data screen).');
    return { recipe, problems };
  }, [draft, nodes, forkFrom, baseModel, dataset, kept.length, nTeacher, forkNode]);
  const planKey = useMemo(() => (recipe ? planKeyOf(recipe) : null), [recipe]);

  const locked = (i: number) => i < firstEditable;
  const stepInfo = WIZARD_STEPS[step];

  return (
    <div className="screen">
      <ScreenHeader title="Wizard" lead="Build a recipe: teacher → layer-dropped student → stage 1 distillation → stage 2 self-training → evaluation. Every stage becomes a node of the branch tree.">
        <div className="segmented" role="group" aria-label="Preset">
          {PRESET_NAMES.map((p) => (
            <button key={p} className={draft.preset === p ? 'on' : ''} onClick={() => usePreset(p)} disabled={running} data-preset={p}>
              {PRESET_LABELS[p]}
            </button>
          ))}
        </div>
        <RecipeFileButton disabled={running} />
      </ScreenHeader>

      {forkNode && (
        <div className="callout info" data-testid="fork-banner">
          <div>
            <strong>Forking {forkNode.label}.</strong> The new branch reuses the trained nodes above it and re-runs{' '}
            {STAGE_NAMES[forkNode.stage].toLowerCase()} with the settings below{forkNode.stage !== 'selftrain' ? ', then the later stages you keep enabled' : ''}.{' '}
            <button className="btn ghost sm" onClick={() => usePreset(draft.preset)}>
              Cancel fork
            </button>
          </div>
        </div>
      )}

      <SuggestionCallout />

      <WizardStepper step={step} onStep={setWizardStep} locked={locked} disabled={{ 2: !draft.distill.enabled, 3: !draft.selftrain.enabled }} />
      <div className="why" data-testid="step-why">
        <b>{stepInfo.title}:</b> {stepInfo.why}
      </div>

      <div className="card">
        {step === 0 && (
          <>
            {locked(0) ? (
              <p className="small">This fork reuses the trained teacher <b>{nodes[draft.teacher.reuseId ?? '']?.label}</b>.</p>
            ) : (
              <>
                <div className="row">
                  <div className="segmented">
                    <button className={draft.teacher.mode === 'new' ? 'on' : ''} onClick={() => setDraft((d) => void (d.teacher.mode = 'new'))}>
                      Train a new teacher
                    </button>
                    <button
                      className={draft.teacher.mode === 'reuse' ? 'on' : ''}
                      disabled={!doneTeachers.length}
                      onClick={() =>
                        setDraft((d) => {
                          d.teacher.mode = 'reuse';
                          d.teacher.reuseId = d.teacher.reuseId ?? doneTeachers[0]?.id;
                        })
                      }
                    >
                      Reuse a trained teacher{doneTeachers.length ? ` (${doneTeachers.length})` : ''}
                    </button>
                  </div>
                </div>
                {draft.teacher.mode === 'reuse' ? (
                  <div className="field" style={{ maxWidth: 360 }}>
                    <label htmlFor="reuse">Teacher node</label>
                    <select id="reuse" className="input" value={draft.teacher.reuseId} onChange={(e) => setDraft((d) => void (d.teacher.reuseId = e.target.value))}>
                      {doneTeachers.map((t) => (
                        <option key={t.id} value={t.id}>
                          {t.label} — {t.id}
                        </option>
                      ))}
                    </select>
                  </div>
                ) : (
                  <>
                    <h3>Starting weights</h3>
                    <div className="row">
                      <label className="check">
                        <input type="radio" name="init" checked={draft.teacher.init === 'pretrained'} onChange={() => setDraft((d) => void (d.teacher.init = 'pretrained'))} />
                        Pretrained{baseModel ? ` — ${baseModel.name} (${baseModel.layers} layers)` : ' (upload on the Model screen)'}
                      </label>
                      <label className="check">
                        <input type="radio" name="init" checked={draft.teacher.init === 'scratch'} onChange={() => setDraft((d) => void (d.teacher.init = 'scratch'))} />
                        From scratch (random init, character vocabulary)
                      </label>
                    </div>
                    {draft.teacher.init === 'scratch' && (
                      <div className="fields">
                        <div className="field wide">
                          <label htmlFor="scratch-preset">Shape preset</label>
                          <select
                            id="scratch-preset"
                            className="input"
                            title={presetLabel(draft.teacher.scratch.preset)}
                            value={draft.teacher.scratch.preset}
                            onChange={(e) => setDraft((d) => void (d.teacher.scratch = { preset: e.target.value as ModelPreset }))}
                          >
                            {PRESETS.map((p) => (
                              <option key={p} value={p}>
                                {presetLabel(p)}
                              </option>
                            ))}
                          </select>
                          <span className="hint">overrides below are optional</span>
                        </div>
                        {(['layers', 'hidden', 'heads', 'intermediate'] as const).map((k) => (
                          <NumberField
                            key={k}
                            name={`scratch-${k}`}
                            label={k[0].toUpperCase() + k.slice(1)}
                            step={1}
                            min={1}
                            value={draft.teacher.scratch[k]}
                            placeholder="preset"
                            onChange={(v) => setDraft((d) => void (d.teacher.scratch[k] = v))}
                          />
                        ))}
                      </div>
                    )}
                    <h3>Fine-tuning</h3>
                    <TrainFieldsForm kind="teacher" prefix="teacher" value={draft.teacher.train} onChange={(fn) => setDraft((d) => fn(d.teacher.train))} />
                  </>
                )}
              </>
            )}
          </>
        )}

        {step === 1 && (
          <>
            <div className="fields">
              <div className="field">
                <label htmlFor="strategy">Strategy</label>
                <select
                  id="strategy"
                  className="input"
                  disabled={locked(1)}
                  value={draft.student.strategy}
                  onChange={(e) =>
                    setDraft((d) => {
                      d.student.strategy = e.target.value as StudentStrategy;
                      if (d.student.strategy === 'keep') d.student.keep = kept;
                    })
                  }
                >
                  {STUDENT_STRATEGIES.map((s) => (
                    <option key={s} value={s}>
                      {STRATEGY_LABELS[s]}
                    </option>
                  ))}
                </select>
              </div>
              {draft.student.strategy !== 'keep' && (
                <NumberField name="student-k" label="Layers to drop (k)" step={1} min={1} max={nTeacher - 1} value={draft.student.k} onChange={(v) => setDraft((d) => void (d.student.k = v ?? 1))} />
              )}
            </div>
            <div className="stack">
              <span className="small muted">
                Teacher layers ({nTeacher}); filled = kept in the student ({kept.length} layer{kept.length === 1 ? '' : 's'})
                {draft.student.strategy === 'keep' ? ' — click to toggle' : ''}
              </span>
              <LayerPicker
                layers={nTeacher}
                kept={kept}
                editable={draft.student.strategy === 'keep' && !locked(1)}
                onToggle={(i) =>
                  setDraft((d) => {
                    d.student.keep = d.student.keep.includes(i) ? d.student.keep.filter((x) => x !== i) : [...d.student.keep, i].sort((a, b) => a - b);
                  })
                }
              />
            </div>
          </>
        )}

        {(step === 2 || step === 3) &&
          (() => {
            const key = step === 2 ? 'distill' : 'selftrain';
            const st = draft[key];
            const isForkStage = forkNode?.stage === key;
            return (
              <>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={st.enabled || isForkStage}
                    disabled={isForkStage || locked(step)}
                    onChange={(e) => setDraft((d) => void (d[key].enabled = e.target.checked))}
                  />
                  Run {step === 2 ? 'stage 1 (distillation)' : 'stage 2 (self-training)'}
                </label>
                {(st.enabled || isForkStage) && (
                  <>
                    <TrainFieldsForm kind={key} prefix={key} value={st.train} onChange={(fn) => setDraft((d) => fn(d[key].train))} />
                    {step === 2 && (
                      <>
                        <h3>Distillation loss</h3>
                        <DistillFieldsForm value={st.train} onChange={(fn) => setDraft((d) => fn(d.distill.train))} />
                      </>
                    )}
                  </>
                )}
              </>
            );
          })()}

        {step === 4 && (
          <>
            <h3>Evaluation</h3>
            <div className="fields">
              <NumberField name="eval-beam" label="Beam size" hint="the study uses 3; 1 = greedy" step={1} min={1} placeholder="3" value={draft.evaluate.beamSize} onChange={(v) => setDraft((d) => void (d.evaluate.beamSize = v))} />
              <NumberField name="eval-limit" label="Test questions" hint="first n of the test split (empty: all; 0: no evaluation)" step={1} min={0} placeholder="all" value={draft.evaluate.limit} onChange={(v) => setDraft((d) => void (d.evaluate.limit = v))} />
              <NumberField name="eval-batch" label="Decode batch" hint="questions generated together" step={1} min={1} placeholder="32" value={draft.evaluate.batchSize} onChange={(v) => setDraft((d) => void (d.evaluate.batchSize = v))} />
              <NumberField name="eval-samples" label="Samples shown" hint="generated questions per node" step={1} min={0} placeholder="5" value={draft.evaluate.samples} onChange={(v) => setDraft((d) => void (d.evaluate.samples = v))} />
              <NumberField name="eval-valevery" label="Validation every" hint="optimizer steps between held-out loss points (empty: a tenth of the stage; 0: after the last step only)" step={1} min={0} placeholder="auto" value={draft.evaluate.validationEverySteps} onChange={(v) => setDraft((d) => void (d.evaluate.validationEverySteps = v))} />
              <NumberField name="eval-valscore" label="Validation questions scored" hint="held-out items also scored (greedy avg_score) at each validation point; 0 = loss only" step={1} min={0} placeholder="0" value={draft.evaluate.validationScore} onChange={(v) => setDraft((d) => void (d.evaluate.validationScore = v))} />
              <div className="field wide">
                <label htmlFor="eval-context">Long test contexts</label>
                <select id="eval-context" className="input" value={draft.evaluate.context ?? ''} onChange={(e) => setDraft((d) => void (d.evaluate.context = (e.target.value || undefined) as 'head' | 'answer-window' | undefined))}>
                  <option value="">default (as the teacher was evaluated, else a window around the answer)</option>
                  <option value="head">keep the first tokens (the study's)</option>
                  <option value="answer-window">keep a window around the answer</option>
                </select>
              </div>
              <div className="field wide">
                <label htmlFor="eval-normalize">References scored as</label>
                <select id="eval-normalize" className="input" value={draft.evaluate.normalize ?? ''} onChange={(e) => setDraft((d) => void (d.evaluate.normalize = (e.target.value || undefined) as 'bert' | 'none' | undefined))}>
                  <option value="">default (as the teacher was evaluated, else through the tokenizer)</option>
                  <option value="bert">through the tokenizer, as generated questions are (the study's)</option>
                  <option value="none">raw text</option>
                </select>
              </div>
            </div>
            <h3>Sequences</h3>
            <div className="fields">
              <NumberField name="data-maxseq" label="Max sequence length" hint={forkNode ? 'fixed by the tree this fork belongs to' : 'context + answer + question tokens'} step={1} min={8} placeholder="512" value={draft.data.maxSeqLen} onChange={(v) => !forkNode && setDraft((d) => void (d.data.maxSeqLen = v))} />
              <NumberField name="data-maxq" label="Max question length" hint="tokens generated at most" step={1} min={1} placeholder="42" value={draft.data.maxQuestionLen} onChange={(v) => setDraft((d) => void (d.data.maxQuestionLen = v))} />
              <div className="field wide">
                <label htmlFor="policy">Long contexts</label>
                <select id="policy" className="input" value={draft.data.policy ?? ''} onChange={(e) => setDraft((d) => void (d.data.policy = (e.target.value || undefined) as 'skip' | 'window' | undefined))}>
                  <option value="">default (skip, as the study)</option>
                  <option value="skip">skip items that do not fit</option>
                  <option value="window">keep a window around the answer</option>
                </select>
                <span className="hint">what happens when a context is too long</span>
              </div>
            </div>
            <h3>Recipe</h3>
            {recipe && (
              <div className="table-wrap">
                <table className="data recipe-table" data-testid="recipe-table">
                  <colgroup>
                    <col style={{ width: '24%' }} />
                    <col style={{ width: '13%' }} />
                    <col />
                    <col style={{ width: '15%' }} />
                  </colgroup>
                  <thead>
                    <tr>
                      <th>Node</th>
                      <th style={{ textAlign: 'left' }}>Stage</th>
                      <th style={{ textAlign: 'left' }}>Settings</th>
                      <th style={{ textAlign: 'left' }} data-col="state">State</th>
                    </tr>
                  </thead>
                  <tbody>
                    {recipe.nodes.map((n) => (
                      <tr key={n.id} data-node={n.id}>
                        <td className="node-label">{labelFor(n.stage, n.config as Record<string, unknown>)}</td>
                        <td style={{ textAlign: 'left' }}>{STAGE_NAMES[n.stage]}</td>
                        <td className="settings">
                          <ConfigFields stage={n.stage} config={n.config} context={{ teacherLayers: (n.parent ? nodes[n.parent]?.model?.layers : undefined) ?? nTeacher }} />
                        </td>
                        <td style={{ textAlign: 'left', whiteSpace: 'normal' }} data-col="state">
                          {nodes[n.id]?.status === 'done' ? 'trained — reused' : 'new'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <p className="small muted">
              After each stage the lab generates questions for the held-out test items with beam search (beam 3) and scores them with BLEU-1..4, METEOR
              and ROUGE-L; avg_score is their mean.
            </p>
            <RunPlanCard planKey={planKey} />
            {problems.length > 0 && (
              <div className="callout warn" data-testid="recipe-problems">
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              </div>
            )}
            <SampleOffer />
          </>
        )}
      </div>

      <div className="row between">
        <button className="btn" disabled={step === 0 || locked(step - 1)} onClick={() => setWizardStep(step - 1)}>
          ← Back
        </button>
        <div className="row">
          <input
            className="input"
            style={{ width: 260 }}
            aria-label="Run name"
            value={draft.name}
            onChange={(e) => setDraft((d) => void (d.name = e.target.value))}
          />
          {step < 4 ? (
            <button className="btn primary" onClick={() => setWizardStep(step + 1)}>
              Next: {WIZARD_STEPS[step + 1].title} →
            </button>
          ) : (
            <>
              <button
                className="btn"
                disabled={!!problems.length || running || !recipe || planBusy}
                onClick={() => void planWizard()}
                title="Time a few steps of each stage on this backend: steps, projected time and storage before a long run"
                data-testid="plan-run"
              >
                {planBusy ? 'Planning…' : 'Plan'}
              </button>
              <button className="btn primary" disabled={!!problems.length || running || !recipe || planBusy} onClick={() => void runWizard()} data-testid="run">
                {running ? 'A run is in progress…' : forkNode ? 'Run fork' : 'Run recipe'}
              </button>
            </>
          )}
        </div>
      </div>
    </div>
  );
}
