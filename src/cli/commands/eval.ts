import type { CliArgs } from '../args';

// Placeholder until the 'eval' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'eval' is not available yet");
}
