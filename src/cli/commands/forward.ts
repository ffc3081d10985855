// qglab forward --model DIR --input batch.json --out out.json [--logits all|none] [--backend cpu|wasm]
// batch.json: {"input_ids": [[...]], "token_type_ids"?: [[...]], "attention_mask"?: [[...]]}
// out.json: {"logits": [B][S][V], "hidden_states": [L+1][B][S][H], "attentions": [L][B][heads][S][S]} (HF layout)
// stdout: a small JSON summary (shapes).
import { writeFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { optionalFlag, printJson, requireFlag, type CliArgs } from '../args';
import { loadHfModelFromDir } from '../../node/hfFolderFs';
import { initBackend } from '../../node/loadInputs';
import { readTextFileSync } from '../../node/textInput';

function readIntMatrix(v: unknown, name: string, shape?: [number, number]): number[][] {
  if (!Array.isArray(v) || v.length === 0 || !v.every((r) => Array.isArray(r)))
    throw new Error(`batch field '${name}' must be a non-empty array of arrays of integers`);
  const rows = v as unknown[][];
  const s = rows[0]!.length;
  if (s === 0) throw new Error(`batch field '${name}' has empty rows`);
  rows.forEach((r, i) => {
    if (r.length !== s) throw new Error(`batch field '${name}': row ${i} has length ${r.length}, row 0 has ${s} (pad rows to one length)`);
    if (!r.every((x) => Number.isInteger(x))) throw new Error(`batch field '${name}': row ${i} has non-integer values`);
  });
  if (shape && (rows.length !== shape[0] || s !== shape[1]))
    throw new Error(`batch field '${name}' has shape [${rows.length}, ${s}] but input_ids has [${shape[0]}, ${shape[1]}]`);
  return rows as number[][];
}

export async function run(args: CliArgs): Promise<void> {
  const modelDir = requireFlag(args, 'model');
  const inputPath = requireFlag(args, 'input');
  const outPath = requireFlag(args, 'out');
  const logitsMode = optionalFlag(args, 'logits') ?? 'all';
  if (logitsMode !== 'all' && logitsMode !== 'none') throw new Error(`--logits must be 'all' or 'none', got '${logitsMode}'`);
  const backend = optionalFlag(args, 'backend') ?? 'cpu';
  await initBackend(backend);

  const inputText = readTextFileSync(inputPath, '--input file');
  let batch: Record<string, unknown>;
  try {
    batch = JSON.parse(inputText) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`--input '${inputPath}' is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof batch !== 'object' || batch === null || Array.isArray(batch)) throw new Error(`--input '${inputPath}' must hold a JSON object`);
  const ids = readIntMatrix(batch.input_ids, 'input_ids');
  const shape: [number, number] = [ids.length, ids[0]!.length];
  const types = batch.token_type_ids === undefined ? undefined : readIntMatrix(batch.token_type_ids, 'token_type_ids', shape);
  const mask = batch.attention_mask === undefined ? undefined : readIntMatrix(batch.attention_mask, 'attention_mask', shape);

  const model = loadHfModelFromDir(modelDir, (n) => process.stderr.write(`qglab: ${n}\n`));
  try {
    const c = model.config;
    const bad = ids.flat().filter((x) => x < 0 || x >= c.vocabSize);
    if (bad.length) throw new Error(`input_ids has ${bad.length} id(s) outside the vocabulary [0, ${c.vocabSize}): ${bad.slice(0, 5).join(', ')}`);
    if (types && types.flat().some((x) => x < 0 || x >= c.typeVocabSize))
      throw new Error(`token_type_ids must be in [0, ${c.typeVocabSize})`);
    const result = tf.tidy(() => {
      const out = model.forward(
        {
          inputIds: tf.tensor2d(ids, shape, 'int32'),
          tokenTypeIds: types ? tf.tensor2d(types, shape, 'int32') : undefined,
          attentionMask: mask ? tf.tensor2d(mask, shape, 'int32') : undefined,
        },
        { outputHiddenStates: true, outputAttentions: true, headPositions: logitsMode },
      );
      return {
        logits: out.logits ? (out.logits.arraySync() as number[][][]) : undefined,
        logitsShape: out.logits?.shape,
        hidden_states: out.hiddenStates.map((h) => h.arraySync()),
        attentions: out.attentions.map((a) => a.arraySync()),
      };
    });
    const json: Record<string, unknown> = {};
    if (result.logits) json.logits = result.logits;
    json.hidden_states = result.hidden_states;
    json.attentions = result.attentions;
    writeFileSync(outPath, JSON.stringify(json));
    printJson({
      out: outPath,
      backend: tf.getBackend(),
      logits: result.logitsShape ?? null,
      hidden_states: [c.numHiddenLayers + 1, shape[0], shape[1], c.hiddenSize],
      attentions: [c.numHiddenLayers, shape[0], c.numAttentionHeads, shape[1], shape[1]],
    });
  } finally {
    model.dispose();
  }
}
