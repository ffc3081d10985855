// Command registry: one file per command. Each module is loaded only when its command runs,
// so `qglab score` does not pay for loading TensorFlow.js.
import type { CliArgs } from '../args';

type Command = (args: CliArgs) => Promise<void>;
const lazy =
  (load: () => Promise<{ run: Command }>): Command =>
  async (args) =>
    (await load()).run(args);

export const commands: Record<string, Command> = {
  'params': lazy(() => import('./params')),
  'tokenize': lazy(() => import('./tokenize')),
  'forward': lazy(() => import('./forward')),
  'data-stats': lazy(() => import('./dataStats')),
  'score': lazy(() => import('./score')),
  'run': lazy(() => import('./run')),
  'eval': lazy(() => import('./eval')),
  'generate': lazy(() => import('./generate')),
};
