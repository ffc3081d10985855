// qglab: the lab's headless command line. Each command lives in its own file under commands/.
// Output: JSON on stdout; errors on stderr with exit code 1.
import { parseArgs, type CliArgs } from './args';
import { commands } from './commands';

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === 'help') {
    process.stdout.write(`usage: qglab <command> [options]\ncommands: ${Object.keys(commands).sort().join(', ')}\n`);
    return;
  }
  const command = commands[name];
  if (!command) throw new Error(`unknown command '${name}' (known: ${Object.keys(commands).sort().join(', ')})`);
  const args: CliArgs = parseArgs(rest);
  await command(args);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`qglab: ${message}\n`);
    if (process.env.QGLAB_DEBUG && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
    process.exit(1);
  },
);
