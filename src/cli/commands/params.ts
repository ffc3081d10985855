import type { CliArgs } from '../args';

// Placeholder until the 'params' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'params' is not available yet");
}
