import type { CliArgs } from '../args';

// Placeholder until the 'forward' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'forward' is not available yet");
}
