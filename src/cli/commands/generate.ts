import type { CliArgs } from '../args';

// Placeholder until the 'generate' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'generate' is not available yet");
}
