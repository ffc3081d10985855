// The playground: a paragraph, the answer marked in it, two nodes side by side and each one's question and latency
// (the worker's generateFor). The two sides are generated one after the other: the worker runs one thing at a time,
// and interleaved calls would time each other.
import type { PlaygroundResult, QgItem } from '../../../../workers/labApi';
import { defaultPair, keepAnswerStart, playgroundNodes } from '../playground';
import { errText, untilWorkerDies, type Slice } from './types';

export interface PlaygroundSide {
  nodeId: string | null;
  result: PlaygroundResult | null;
  error: string | null;
}

export interface PlaygroundState {
  context: string;
  answer: string;
  /** the marked occurrence of the answer (a selection, or the first one of a typed answer); null: not in the paragraph */
  answerStart: number | null;
  beamSize: number;
  /** timed generations per side: 1, or 5 for the median and spread */
  runs: number;
  sides: [PlaygroundSide, PlaygroundSide];
  busy: boolean;
  /** generations started so far (the page says which one it shows) */
  seq: number;
  /** test items of the loaded dataset ("Use a test item"), read once; the index of the one shown last */
  items: QgItem[] | null;
  /** the dataset the items came from (name and load time): another dataset reads them again */
  itemsOf: string;
  itemIndex: number;
  itemsError: string | null;
}

export interface PlaygroundSlice {
  playground: PlaygroundState;
  setPlaygroundContext(context: string): void;
  /** the answer is the paragraph's text from start to end (a selection) */
  markAnswer(start: number, end: number): void;
  /** a typed answer: its first occurrence in the paragraph is the marked one */
  typeAnswer(answer: string): void;
  pickPlaygroundNode(side: 0 | 1, id: string | null): void;
  setPlaygroundDecode(opts: { beamSize?: number; runs?: number }): void;
  /** the next test item of the loaded dataset into the paragraph and answer */
  loadTestItem(): Promise<void>;
  /** fills unset sides with the default pair (root teacher, best student) */
  defaultPlaygroundNodes(): void;
  generatePlayground(): Promise<void>;
}

const emptySide = (nodeId: string | null = null): PlaygroundSide => ({ nodeId, result: null, error: null });

export const createPlaygroundSlice: Slice<PlaygroundSlice> = (deps) => (set, get) => {
  const patch = (p: Partial<PlaygroundState>) => set({ playground: { ...get().playground, ...p } });
  return {
    playground: {
      context: '',
      answer: '',
      answerStart: null,
      beamSize: 3,
      runs: 1,
      sides: [emptySide(), emptySide()],
      busy: false,
      seq: 0,
      items: null,
      itemsOf: '',
      itemIndex: -1,
      itemsError: null,
    },

    setPlaygroundContext(context) {
      const { answer, answerStart } = get().playground;
      patch({ context, answerStart: keepAnswerStart(context, answer, answerStart) });
    },

    markAnswer(start, end) {
      const { context } = get().playground;
      const a = Math.max(0, Math.min(start, end));
      const b = Math.min(context.length, Math.max(start, end));
      if (b <= a) return;
      patch({ answer: context.slice(a, b), answerStart: a });
    },

    typeAnswer(answer) {
      const { context } = get().playground;
      patch({ answer, answerStart: keepAnswerStart(context, answer, null) });
    },

    pickPlaygroundNode(side, id) {
      const sides = [...get().playground.sides] as PlaygroundState['sides'];
      sides[side] = emptySide(id);
      patch({ sides });
    },

    setPlaygroundDecode(opts) {
      patch(opts);
    },

    defaultPlaygroundNodes() {
      const { nodes } = get();
      const pg = get().playground;
      const done = new Set(playgroundNodes(nodes).map((n) => n.id));
      const [a, b] = defaultPair(nodes);
      const keep = (s: PlaygroundSide, d: string | null) => (s.nodeId && done.has(s.nodeId) ? s : emptySide(d));
      const sides: PlaygroundState['sides'] = [keep(pg.sides[0], a), keep(pg.sides[1], b)];
      if (sides[0] !== pg.sides[0] || sides[1] !== pg.sides[1]) patch({ sides });
    },

    async loadTestItem() {
      const ds = get().dataset;
      const itemsOf = ds ? `${ds.name}|${ds.loadedAt}` : 'sample';
      let { items, itemIndex } = get().playground;
      if (!items || get().playground.itemsOf !== itemsOf) {
        itemIndex = -1;
        try {
          items = await untilWorkerDies(deps, () => deps.lab().playgroundItems(50));
        } catch (e) {
          patch({ itemsError: errText(e) });
          return;
        }
        if (!items.length) {
          patch({ items, itemsOf, itemsError: 'the loaded dataset has no test items' });
          return;
        }
      }
      if (!items.length) return;
      itemIndex = (itemIndex + 1) % items.length;
      const it = items[itemIndex]!;
      const answerStart = it.context.slice(it.answerStart, it.answerStart + it.answer.length) === it.answer ? it.answerStart : keepAnswerStart(it.context, it.answer, null);
      patch({ items, itemsOf, itemIndex, itemsError: null, context: it.context, answer: it.answer, answerStart });
    },

    async generatePlayground() {
      const pg = get().playground;
      if (pg.busy) return;
      const ids = pg.sides.map((s) => s.nodeId);
      patch({ busy: true, seq: pg.seq + 1, sides: [emptySide(ids[0]), emptySide(ids[1])] });
      const input = { context: pg.context, answer: pg.answer, ...(pg.answerStart !== null ? { answerStart: pg.answerStart } : {}) };
      try {
        for (const side of [0, 1] as const) {
          const id = ids[side];
          if (!id) continue;
          let next: PlaygroundSide;
          try {
            const result = await untilWorkerDies(deps, () => deps.lab().generateFor(id, input, { beamSize: pg.beamSize, runs: pg.runs }));
            next = { nodeId: id, result, error: null };
          } catch (e) {
            next = { nodeId: id, result: null, error: errText(e) };
          }
          const sides = [...get().playground.sides] as PlaygroundState['sides'];
          // the user may have picked another node meanwhile: keep that choice
          if (sides[side].nodeId === id) sides[side] = next;
          patch({ sides });
        }
      } finally {
        patch({ busy: false });
      }
    },
  };
};
