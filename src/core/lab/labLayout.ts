// Where the browser lab keeps things in its one key-value store (IndexedDB):
//   run/...                 the branch tree: a RunStorage laid out as src/core/experiment/checkpoints.ts says
//                           (run/nodes/<id>/state.json is the node's record — the only one)
//   lab/dataset/summary     the loaded dataset's summary (versioned); lab/dataset/bytes its file (not the sample)
//   lab/base/summary        the uploaded base model's summary (versioned); its files under the prefix it names
//                           (lab/base/files/<generation>/<name>; labs before generations: lab/base/files/<name>)
export const RUN_PREFIX = 'run/';
export const LAB_KEYS = {
  datasetSummary: 'lab/dataset/summary',
  datasetBytes: 'lab/dataset/bytes',
  baseSummary: 'lab/base/summary',
  baseFiles: 'lab/base/files/',
  /** the node index of labs before schema 2 (merged into run/nodes/<id>/state.json on upgrade) */
  legacyNodes: 'lab/nodes/',
} as const;
