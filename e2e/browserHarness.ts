// What the browser suite (e2e/run.ts, e2e/lab.e2e.ts) and the browser benchmark (scripts/benchBrowser.ts) share:
// Chromium's flags, a free local port, and waiting for a server to answer.
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Debian's Chromium, headless, with WebGPU on ("localhost" is a secure context, so navigator.gpu exists there). */
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--disable-gpu-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

/** Resolves once `url` answers 2xx; rejects when `proc` (the server) exits first or `ms` pass. */
export async function waitForHttp(url: string, ms: number, proc: ChildProcess): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (proc.exitCode !== null) throw new Error(`the server exited with code ${proc.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}
