// What a stage of the branch tree is: one module per stage (teacher, student, distill, selftrain) owns its config
// schema and defaults, validation, label, dependencies and how it produces its model. The recipe validator, the
// runner, the worker and the UI ask the registry (./registry.ts) instead of switching on the stage name.
import type { SqgLimits } from '../../data/sqgExamples';
import type { RecipeNode, StageKind } from '../../experiment/recipe';
import type { BertConfig } from '../../model/bertConfig';
import type { BertForMaskedLM } from '../../model/bertForMaskedLM';
import type { StateTensor } from '../../model/stateDict';
import type { BertTokenizer } from '../../tokenizer/bertTokenizer';
import type { TrainingStage } from '../../experiment/trainingOptions';
import type { NodeRecord } from '../nodeRecord';

/** What validation of one node's config can see of the rest of the recipe. */
export interface ValidationContext {
  node: RecipeNode;
  byId: ReadonlyMap<string, RecipeNode>;
  /** the node is on a parent cycle (rules that walk the tree are not checked then) */
  inCycle: boolean;
}

export interface StageOutcome {
  /** the node's model (owned by the caller) */
  model: BertForMaskedLM;
  record: NodeRecord;
  cancelled: boolean;
}

/** What the runner gives a stage to produce its model. */
export interface ProduceContext {
  node: RecipeNode;
  byId: ReadonlyMap<string, RecipeNode>;
  record: NodeRecord;
  tokenizer: BertTokenizer;
  limits: SqgLimits;
  /** weights for a teacher with init 'pretrained' */
  base?: { config: BertConfig; stateDict: Map<string, StateTensor> };
  /** a finished node's model (kept in memory by the runner while later nodes need it) */
  getModel(id: string): Promise<BertForMaskedLM>;
  /** the runner's training loop over the run's examples, with checkpoints, history and resume */
  train(kind: TrainingStage, student: BertForMaskedLM, teacher: BertForMaskedLM | undefined, record: NodeRecord): Promise<StageOutcome>;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface StageDefinition {
  kind: StageKind;
  /** one line for the UI and the docs */
  title: string;
  /** true: the node starts a tree (parent null); false: it needs a parent that produces a model */
  root: boolean;
  /** whether the stage trains (has the training module's StageConfig fields) */
  trains: boolean;
  /** config problems, each a readable line naming the field */
  validate(config: Record<string, unknown>, ctx: ValidationContext): string[];
  /** the config with every default filled in (what the node really runs with; staleness compares these) */
  resolve(config: Record<string, unknown>): unknown;
  /** a short readable name for the tree */
  label(config: Record<string, unknown>): string;
  /** ids of the nodes whose models this node needs (its parent and, for distill, its teacher) */
  dependencies(node: RecipeNode, byId: ReadonlyMap<string, RecipeNode>): string[];
  produce(ctx: ProduceContext): Promise<StageOutcome>;
}
