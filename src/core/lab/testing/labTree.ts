// Node records for tests of the tree's names and edges: the lab's main flow (teacher → student → distill →
// self-train) with a forked distill node (dropout 0.05) and its self-train child, as the browser suite's 'lab' run.
import type { NodeRecord } from '../nodeRecord';
import { stageOf } from '../stages/registry';

/** A record with its label from the stage registry (as the runner writes it), `over` on top. */
export function treeRecord(id: string, stage: NodeRecord['stage'], parent: string | null, config: Record<string, unknown>, over: Partial<NodeRecord> = {}): NodeRecord {
  return { schemaVersion: 2, id, stage, parent, config, label: stageOf(stage).label(config), createdAt: 0, status: 'done', ...over };
}

const train = { epochs: 1, batchSize: 4, learningRate: 1e-3 };

export function forkedLabTree(): Record<string, NodeRecord> {
  const list = [
    treeRecord('teacher-1', 'teacher', null, { init: { preset: 'tiny' }, ...train }, { createdAt: 1 }),
    treeRecord('student-1', 'student', 'teacher-1', { strategy: 'drop-top', k: 1 }, { createdAt: 2, model: { layers: 1, hiddenSize: 32, parameters: 1000 } }),
    treeRecord('distill-1', 'distill', 'student-1', { ...train, hiddenDropout: 0.3, attentionDropout: 0.3 }, { createdAt: 3 }),
    treeRecord('selftrain-1', 'selftrain', 'distill-1', { ...train, hiddenDropout: 0.3, attentionDropout: 0.3 }, { createdAt: 4 }),
    treeRecord('distill-2', 'distill', 'student-1', { ...train, hiddenDropout: 0.05, attentionDropout: 0.05 }, { createdAt: 5 }),
    treeRecord('selftrain-2', 'selftrain', 'distill-2', { ...train, hiddenDropout: 0.3, attentionDropout: 0.3 }, { createdAt: 6 }),
  ];
  // every node of a run records the run's data options
  return Object.fromEntries(list.map((n) => [n.id, { ...n, data: { maxTrainItems: 20 } }]));
}
