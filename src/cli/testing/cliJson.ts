// Tests of CLI commands: run one with its argv and return the one JSON document it printed on stdout.
import { expect, vi } from 'vitest';
import { parseArgs, type CliArgs } from '../args';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function cliJson(run: (a: CliArgs) => Promise<void>, argv: string[]): Promise<Record<string, any>> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => (out.push(String(s)), true));
  try {
    await run(parseArgs(argv));
  } finally {
    spy.mockRestore();
  }
  expect(out).toHaveLength(1);
  return JSON.parse(out[0]!);
}
