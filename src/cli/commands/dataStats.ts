import type { CliArgs } from '../args';

// Placeholder until the 'data-stats' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'data-stats' is not available yet");
}
