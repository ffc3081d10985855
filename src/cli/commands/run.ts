// qglab run RECIPE.json --out DIR [--data train.json] [--test test.json | --test-fraction 0.1] [--base HF_DIR]
//           [--vocab vocab.txt] [--limit N] [--log-every N] [--backend wasm|cpu] [--threads N]
// Runs a recipe's tree into DIR (one folder per node); re-running on the same DIR skips finished nodes and resumes an
// interrupted one. Progress on stderr; the study's table on stderr at the end; a JSON summary on stdout.
// --threads N (default 1) splits each training step's micro-batches and each evaluation's questions over N worker
// threads (src/node/pool), each with its own backend and copy of the model: TF.js-WASM computes on one core in Node.
// The sample demo's teacher trains at 230 examples/s on 2 threads vs 158 on one; a step becomes one micro-batch per
// thread, so the numbers are those of a one-thread run with that microBatchSize, not of the browser's run of the same
// recipe (hence not the default). Where weights are large against a step's compute it pays less (bench, mini2: 0.98x).
// Ctrl-C stops after the current step (the node is marked cancelled and resumes next time).
import * as path from 'node:path';
import { intFlag, optionalFlag, printJson, requireFlag, threadsFlag, type CliArgs } from '../args';
import { DEFAULT_TEST_FRACTION, labSplit, sampleItems } from '../../core/data/sampleDataset';
import type { QgItem } from '../../core/data/drcd';
import { validateRecipe, type Recipe } from '../../core/experiment/recipe';
import { ExperimentRunner, type RunSummary } from '../../core/experiment/runner';
import type { LabEvent } from '../../core/experiment/events';
import { relativeToTeacher } from '../../core/experiment/evaluate';
import { summaryTable } from '../../core/experiment/summary';
import { needsBaseModel, resolveRunTokenizer } from '../../core/lab/runInputs';
import { FsStorage } from '../../node/fsStorage';
import { nodeRunThreads } from '../../node/pool/runThreads';
import { lockRunFolder, removeStaleTempFiles } from '../../node/runFolderLock';
import { initBackend, readDataset, readJsonFile, readModelFolder, readVocab } from '../../node/loadInputs';


function floatFlag(args: CliArgs, name: string, fallback: number): number {
  const v = optionalFlag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`option --${name} must be a number, got '${v}'`);
  return n;
}

async function loadItems(args: CliArgs): Promise<{ train: QgItem[]; test: QgItem[]; source: string }> {
  const dataPath = optionalFlag(args, 'data');
  const testPath = optionalFlag(args, 'test');
  if (testPath !== undefined && args.flags['test-fraction'] !== undefined)
    throw new Error('give either --test or --test-fraction, not both');
  const frac = floatFlag(args, 'test-fraction', DEFAULT_TEST_FRACTION);
  if (!(frac > 0 && frac < 1)) throw new Error(`--test-fraction must be between 0 and 1 (exclusive), got ${frac}`);
  const all = dataPath ? await readDataset(dataPath) : sampleItems();
  const source = dataPath ?? 'embedded sample dataset';
  if (testPath) return { train: all, test: await readDataset(testPath), source };
  const { train, test } = labSplit(all, frac);
  if (train.length === 0 || test.length === 0)
    throw new Error(`${source} has ${all.length} items: too few to split with --test-fraction ${frac}`);
  return { train, test, source };
}

const fmtMs = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
};

export function progressLogger(logEvery: number, write: (line: string) => void): (e: LabEvent) => void {
  return (e) => {
    switch (e.type) {
      case 'node':
        write(`[${e.nodeId}] ${e.status}${e.error ? `: ${e.error}` : ''}`);
        break;
      case 'step':
        if (e.step % logEvery === 0 || e.step === e.totalSteps || e.step === 1) {
          const terms = Object.entries(e.terms)
            .map(([k, v]) => `${k} ${v.toFixed(3)}`)
            .join(', ');
          write(
            `[${e.nodeId}] ${e.stage} step ${e.step}/${e.totalSteps} epoch ${e.epoch + 1} loss ${e.loss.toFixed(4)}` +
              `${Object.keys(e.terms).join() !== 'logits' ? ` (${terms})` : ''} lr ${e.lr.toExponential(2)} ` +
              `${e.examplesPerSec.toFixed(1)} ex/s elapsed ${fmtMs(e.elapsedMs)} eta ${fmtMs(e.etaMs)}`,
          );
        }
        break;
      case 'eval': {
        const m = e.result.metrics;
        write(
          `[${e.nodeId}] eval on ${e.result.n} items (beam ${e.result.beamSize}): BLEU-4 ${(m.Bleu_4 * 100).toFixed(2)} ` +
            `METEOR ${(m.METEOR * 100).toFixed(2)} ROUGE-L ${(m.ROUGE_L * 100).toFixed(2)} avg ${(m.avg_score * 100).toFixed(2)} ` +
            `(${e.result.questionsPerSec.toFixed(2)} questions/s)`,
        );
        break;
      }
      case 'validation':
        write(`[${e.nodeId}] ${e.stage} step ${e.step}/${e.totalSteps} held-out loss ${e.loss.toFixed(4)} (${e.items} questions, ${e.examples} examples)${e.avgScore !== undefined ? ` avg_score ${(e.avgScore * 100).toFixed(2)} on ${e.scored}` : ''}`);
        break;
      case 'samples':
        for (const s of e.samples) write(`[${e.nodeId}]   ${s.id}: ${s.generated || '∅'}  ‖ ref: ${s.reference}`);
        break;
      case 'log':
        write(`${e.level === 'info' ? '' : `${e.level}: `}${e.message}`);
        break;
    }
  };
}

/** The stdout JSON: per node its status, scores and the % columns. */
export function summaryJson(out: string, s: RunSummary): unknown {
  const byId = new Map(s.nodes.map((n) => [n.id, n] as const));
  return {
    out,
    ...(s.name ? { name: s.name } : {}),
    cancelled: s.cancelled,
    nodes: s.nodes.map((n) => {
      const ref = n.reference ? byId.get(n.reference)?.eval : undefined;
      return {
        id: n.id,
        stage: n.stage,
        parent: n.parent,
        status: n.status,
        ...(n.error ? { error: n.error } : {}),
        ...(n.eval
          ? {
              params: n.eval.params,
              genTimeMs: Math.round(n.eval.genTimeMs),
              questionsPerSec: n.eval.questionsPerSec,
              n: n.eval.n,
              metrics: n.eval.metrics,
              normalize: n.eval.normalize,
              contextCut: n.eval.contextCut,
              ...(ref ? { relative: { teacher: n.reference, ...relativeToTeacher(n.eval, ref) } } : {}),
            }
          : {}),
      };
    }),
  };
}

export async function run(args: CliArgs): Promise<void> {
  const recipePath = args.positional[0] ?? optionalFlag(args, 'recipe');
  if (!recipePath) throw new Error('usage: qglab run RECIPE.json --out DIR [--data train.json] [--test test.json | --test-fraction F] [--base HF_DIR] [--vocab vocab.txt] [--limit N]');
  const out = path.resolve(requireFlag(args, 'out'));
  const recipe: Recipe = validateRecipe(await readJsonFile(recipePath, 'recipe'));
  const limit = optionalFlag(args, 'limit') !== undefined ? intFlag(args, 'limit', 0) : undefined;
  if (limit !== undefined && limit < 1) throw new Error('--limit must be a positive integer');
  const logEvery = intFlag(args, 'log-every', 10);
  if (logEvery < 1) throw new Error('--log-every must be a positive integer');
  const backend = await initBackend(optionalFlag(args, 'backend') ?? 'wasm');
  const threadCount = threadsFlag(args, 1);

  const basePath = optionalFlag(args, 'base');
  if (needsBaseModel(recipe) && !basePath)
    throw new Error("the recipe has a teacher with init 'pretrained': pass --base DIR (a Hugging Face bert-base-chinese folder)");
  const base = basePath ? readModelFolder(basePath) : undefined;

  const { train, test, source } = await loadItems(args);
  // one writer per run folder; leftovers of a killed writer go
  const unlock = await lockRunFolder(out, (m) => process.stderr.write(`qglab: ${m}\n`));
  process.once('exit', unlock);
  const stale = await removeStaleTempFiles(out);
  if (stale > 0) process.stderr.write(`qglab: removed ${stale} temporary file(s) left by an interrupted run\n`);
  const storage = new FsStorage(out);
  const vocabPath = optionalFlag(args, 'vocab');
  // the lab's one rule: --vocab, else the tree's saved vocabulary, else the base model's, else built from the data
  const { tokenizer: tok, how } = await resolveRunTokenizer({
    recipe,
    storage,
    items: [...train, ...test],
    ...(vocabPath ? { explicit: { tokenizer: await readVocab(vocabPath), source: vocabPath } } : {}),
    ...(base ? { base: { tokenizer: base.tokenizer, name: base.dir } } : {}),
  });

  const write = (line: string) => process.stderr.write(line + '\n');
  write(
    `qglab run: ${recipe.name ?? recipePath} → ${out}\n  data: ${source} (${train.length} train / ${test.length} test items)` +
      `\n  vocabulary: ${how}; backend ${backend}${threadCount > 1 ? ` on ${threadCount} threads` : ''}${limit ? `; evaluating the first ${limit} test items` : ''}`,
  );
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    write('qglab: stopping after the current step (Ctrl-C again to quit at once)…');
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const threads = threadCount > 1 ? nodeRunThreads({ threads: threadCount, backend, tokenizer: tok }) : undefined;
  const runner = new ExperimentRunner({
    storage,
    train,
    test,
    tokenizer: tok,
    base: base ? { config: base.config, stateDict: base.stateDict } : undefined,
    onEvent: progressLogger(logEvery, write),
    eval: limit ? { limit } : undefined,
    backend,
    threads,
  });
  let summary: RunSummary;
  try {
    summary = await runner.run(recipe, controller.signal);
  } finally {
    await threads?.close();
    process.off('SIGINT', onSigint);
    unlock();
  }
  write('\n' + summaryTable(summary.nodes) + '\n');
  printJson(summaryJson(out, summary));
  const failed = summary.nodes.filter((n) => n.status === 'failed');
  if (failed.length > 0) throw new Error(`${failed.length} node(s) failed: ${failed.map((n) => n.id).join(', ')} (see above; finished nodes are kept)`);
  if (summary.cancelled) throw new Error(`cancelled; run the same command again to resume`);
}
