// Reading a text input of the command line (dataset, recipe, vocabulary, hypotheses, config...): the bytes go
// through the browser lab's rule (core/lab/inputs/textFile.ts: UTF-8 with or without a BOM; UTF-16 and binary files
// refused, saying what they are), so a BOM is accepted and a UTF-16 file or a PNG is named instead of being parsed
// and echoed to the terminal. A file that cannot be read at all names itself and the reason.
import { promises as fs, readFileSync } from 'node:fs';
import { decodeTextFile } from '../core/lab/inputs/textFile';

function readError(e: unknown, file: string, what: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' ? 'ENOENT, no such file' : code === 'EISDIR' ? 'EISDIR, it is a folder, not a file' : (code ?? String(e));
  return new Error(`cannot read ${what} ${file}: ${why}`, { cause: e });
}

const asBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

/** The text of `file` (what it is, for messages: 'dataset', 'vocabulary'...). */
export function readTextFileSync(file: string, what: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw readError(e, file, what);
  }
  return decodeTextFile(asBytes(bytes), file, what);
}

export async function readTextFile(file: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (e) {
    throw readError(e, file, what);
  }
  return decodeTextFile(asBytes(bytes), file, what);
}
