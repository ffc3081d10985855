// Self-train (stage 2): the student on the ground truth alone (hard CE at [MASK]), the study's second stage.
import { checkTrainingConfig, stageConfigOf } from '../../experiment/trainingOptions';
import { dropLabel } from './configChecks';
import type { StageDefinition } from './stageDefinition';

export const selftrainStage: StageDefinition = {
  kind: 'selftrain',
  title: 'Self-train: the student on the ground truth alone',
  root: false,
  trains: true,
  validate: (cfg) => checkTrainingConfig('selftrain', cfg),
  resolve: (cfg) => stageConfigOf('selftrain', cfg),
  label: (c) => `Self-train${dropLabel(c)}`,
  dependencies: (n) => (n.parent !== null ? [n.parent] : []),
  async produce(ctx) {
    // the student's config records the dropout it trains with (the exported config.json says it, as the study's does)
    const { hiddenDropout, attentionDropout } = stageConfigOf('selftrain', ctx.node.config);
    const student = (await ctx.getModel(ctx.node.parent!)).withDropout(hiddenDropout, attentionDropout);
    return ctx.train('selftrain', student, undefined, ctx.record);
  },
};
