import type { CliArgs } from '../args';

// Placeholder until the 'tokenize' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'tokenize' is not available yet");
}
