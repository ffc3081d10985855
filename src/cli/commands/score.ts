import type { CliArgs } from '../args';

// Placeholder until the 'score' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'score' is not available yet");
}
