// Minimal `--flag value` / `--switch` / positional parser: the CLI's needs are small and fixed,
// so a dependency (yargs, commander) would add more than it saves.
import { availableParallelism } from 'node:os';

export interface CliArgs {
  positional: string[];
  flags: Record<string, string | true>;
}

export function parseArgs(argv: string[]): CliArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          flags[a.slice(2)] = next;
          i++;
        } else {
          flags[a.slice(2)] = true;
        }
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

export function requireFlag(args: CliArgs, name: string): string {
  const v = args.flags[name];
  if (typeof v !== 'string' || v.length === 0) throw new Error(`missing required option --${name}`);
  return v;
}

export function optionalFlag(args: CliArgs, name: string): string | undefined {
  const v = args.flags[name];
  if (v === true) throw new Error(`option --${name} needs a value`);
  return v;
}

export function intFlag(args: CliArgs, name: string, fallback: number): number {
  const v = optionalFlag(args, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`option --${name} must be an integer, got '${v}'`);
  return n;
}

/** --threads N: worker threads the work is split over (default: one per core Node may use, or `fallback`). */
export function threadsFlag(args: CliArgs, fallback = availableParallelism()): number {
  const n = intFlag(args, 'threads', fallback);
  if (n < 1) throw new Error('--threads must be a positive integer');
  return n;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}
