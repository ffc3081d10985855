// The dataset a run trains and tests on, resolved the same way in the browser and on the command line: a DRCD /
// SQuAD-format file (or the embedded sample), its question items, the lab's default train/test split and the
// summary the Data screen shows.
import { datasetStats, parseDrcd, toQgItems, type DrcdDataset, type QgItem } from '../../data/drcd';
import { labSplit, loadSampleDataset, SAMPLE_VERSION, type SampleVersion } from '../../data/sampleDataset';
import { decodeTextFile } from './textFile';

export interface DatasetSummary {
  schemaVersion?: number;
  name: string;
  isSample: boolean;
  /** the embedded sample's version (absent in summaries saved before versions: 'synthetic-1') */
  sampleVersion?: SampleVersion;
  bytes: number;
  stats: Record<string, unknown>;
  trainItems: number;
  testItems: number;
  examples: { context: string; answer: string; question: string }[];
  loadedAt: number;
}

export interface LoadedDataset {
  summary: DatasetSummary;
  train: QgItem[];
  test: QgItem[];
  all: QgItem[];
}

export const SAMPLE_DATASET_NAME = 'Embedded sample (synthetic DRCD-format)';

/** Items of a parsed dataset split into train/test (the lab's default split), with the Data screen's summary. */
export function datasetFromParsed(name: string, ds: DrcdDataset, bytes: number, isSample: boolean, testFraction?: number): LoadedDataset {
  const items = toQgItems(ds);
  if (items.length < 2) throw new Error(`${name}: only ${items.length} answered question(s): at least 2 are needed (train + test)`);
  const { train, test } = labSplit(items, testFraction);
  if (train.length === 0 || test.length === 0) throw new Error(`${name}: ${items.length} questions are too few to hold out a test split`);
  const summary: DatasetSummary = {
    schemaVersion: 1,
    name,
    isSample,
    bytes,
    stats: datasetStats(ds) as unknown as Record<string, unknown>,
    trainItems: train.length,
    testItems: test.length,
    examples: items.slice(0, 4).map((i) => ({ context: i.context, answer: i.answer, question: i.question })),
    loadedAt: Date.now(),
  };
  return { summary, train, test, all: items };
}

/** A dataset file's bytes → the loaded dataset; throws DatasetError (naming the JSON path) or a readable Error. */
export function datasetFromBytes(bytes: Uint8Array, name: string, testFraction?: number): LoadedDataset {
  const ds = parseDrcd(decodeTextFile(bytes, name, 'dataset'), name);
  return datasetFromParsed(name, ds, bytes.byteLength, false, testFraction);
}

/** The embedded sample (the current version, or the one a stored lab trained on). */
export function sampleDataset(testFraction?: number, version: SampleVersion = SAMPLE_VERSION): LoadedDataset {
  const loaded = datasetFromParsed(SAMPLE_DATASET_NAME, loadSampleDataset(version), 0, true, testFraction);
  return { ...loaded, summary: { ...loaded.summary, sampleVersion: version } };
}
