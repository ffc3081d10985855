// Text from uploaded or read bytes: UTF-8 with or without a BOM. UTF-16 and binary files are recognised and refused
// with a message that says what the file is, instead of being parsed as garbage.

export class TextFileError extends Error {
  override name = 'TextFileError';
}

/** Decodes a text file's bytes as UTF-8 (a BOM is dropped); refuses UTF-16 and binary content, naming the file. */
export function decodeTextFile(bytes: Uint8Array, name: string, what = 'file'): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff) || looksUtf16(bytes))
    throw new TextFileError(`${name}: this ${what} is UTF-16; save it as UTF-8 JSON/text and load it again`);
  const head = bytes.subarray(0, Math.min(bytes.length, 4096));
  if (head.includes(0)) throw new TextFileError(`${name}: this ${what} is binary, not text (${describeMagic(bytes)})`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new TextFileError(`${name}: this ${what} is not valid UTF-8 text; save it as UTF-8 and load it again`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** UTF-16 without a BOM: every other byte of ASCII-ish text is zero. */
function looksUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 8) return false;
  let zerosEven = 0;
  let zerosOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) zerosEven++;
    if (bytes[i + 1] === 0) zerosOdd++;
  }
  const half = n / 2;
  return (zerosOdd > 0.4 * half && zerosEven < 0.05 * half) || (zerosEven > 0.4 * half && zerosOdd < 0.05 * half);
}

function describeMagic(b: Uint8Array): string {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'a PNG image';
  if (starts(0xff, 0xd8, 0xff)) return 'a JPEG image';
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'a zip archive';
  if (starts(0x25, 0x50, 0x44, 0x46)) return 'a PDF';
  if (starts(0x1f, 0x8b)) return 'a gzip archive';
  return 'it contains NUL bytes';
}
