import type { CliArgs } from '../args';

// Placeholder until the 'run' command lands; replaced by its owner.
export async function run(_args: CliArgs): Promise<void> {
  throw new Error("command 'run' is not available yet");
}
