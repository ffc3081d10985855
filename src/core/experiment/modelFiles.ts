// The experiment layer's seam to the model's Hugging Face folder import/export (src/core/model/hfFolder.ts):
// a node's model is stored as the files of an HF folder (config.json, vocab.txt, model.safetensors).
import type { BertForMaskedLM } from '../model/bertForMaskedLM';
import { exportHfModel, loadHfModel } from '../model/hfFolder';
import type { BertTokenizer } from '../tokenizer/bertTokenizer';

const enc = new TextEncoder();

export async function modelToHfFiles(model: BertForMaskedLM, tok: BertTokenizer): Promise<Map<string, Uint8Array>> {
  const f = await exportHfModel(model, tok.vocab.join('\n') + '\n');
  return new Map<string, Uint8Array>([
    ['config.json', enc.encode(f['config.json'])],
    ['vocab.txt', enc.encode(f['vocab.txt'])],
    ['model.safetensors', f['model.safetensors']],
  ]);
}

export function modelFromHfFiles(files: Map<string, Uint8Array>, onNotice?: (m: string) => void): BertForMaskedLM {
  const config = files.get('config.json');
  const st = files.get('model.safetensors');
  if (!config || !st) throw new Error('a model folder needs config.json and model.safetensors');
  return loadHfModel({ configJson: new TextDecoder().decode(config), safetensors: st, onNotice });
}

/**
 * A stored config.json with the dropout rates a node trained with (its resolved config's hiddenDropout and
 * attentionDropout): models saved before the stages wrote their rates into the config say the base model's 0.1.
 * The bytes come back unchanged when the config already says them or is not a JSON object.
 */
export function configJsonWithDropout(bytes: Uint8Array, hidden: number, attention: number): Uint8Array {
  let c: unknown;
  try {
    c = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return bytes;
  }
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return bytes;
  const o = c as Record<string, unknown>;
  if (o.hidden_dropout_prob === hidden && o.attention_probs_dropout_prob === attention) return bytes;
  return enc.encode(JSON.stringify({ ...o, hidden_dropout_prob: hidden, attention_probs_dropout_prob: attention }, null, 2) + '\n');
}
