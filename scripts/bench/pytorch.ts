// PyTorch beside the lab in the same bench run: scripts/bench/pytorchReference.py (Hugging Face's BertForMaskedLM in
// torch.nn, the fixed shapes of shapes.ts, 2 threads) run as a child process, so that every "/ PyTorch" ratio compares
// figures measured within minutes of each other on the same machine (these virtual cores vary ±30 % between hours and
// days). Without python3 and torch (Debian: python3-torch; with libopenblas0-pthread, else torch falls back to the
// reference BLAS at ~4 GFLOP/s) the figures of ../shared/notes/performance.md (2026-12-01) stand in, and say so.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PyTorchShape {
  trainExamplesPerSec: number;
  genRowsPerSecB1: number;
  genRowsPerSecB32: number;
}

export interface PyTorchReference {
  /** where the figures come from: 'measured now (torch 1.13, 2 threads, BLAS …)' or the notes' date */
  source: string;
  shapes: Record<string, PyTorchShape>;
}

/** ../shared/notes/performance.md, measured 2026-12-01 with transformers 4.31 on an idle machine */
const NOTES: PyTorchReference = {
  source: '../shared/notes/performance.md (2026-12-01, another day: compare with care)',
  shapes: {
    mini4: { trainExamplesPerSec: 4.32, genRowsPerSecB1: 63.1, genRowsPerSecB32: 68.0 },
    mini2: { trainExamplesPerSec: 5.29, genRowsPerSecB1: 99.4, genRowsPerSecB32: 127.7 },
  },
};

const script = resolve(dirname(fileURLToPath(import.meta.url)), 'pytorchReference.py');

/**
 * Runs the reference now, with the first of $QGLAB_PYTHON, python3 and /usr/bin/python3 that has torch (a pyenv
 * python3 first on PATH lacks Debian's torch); when none can, the notes' figures with the reason in `source`.
 */
export function measurePyTorch(threads = 2): PyTorchReference {
  const pythons = [...new Set([process.env.QGLAB_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p))];
  const why: string[] = [];
  for (const python of pythons) {
    const r = spawnSync(python, [script, '--json', '--threads', String(threads)], { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) {
      why.push(`${python}: ${r.error ? r.error.message : (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`)}`);
      continue;
    }
    const j = JSON.parse(r.stdout) as { torch: string; threads: number; blas: string; shapes: Record<string, PyTorchShape> };
    const slowBlas = !/openblas|mkl|blis/i.test(j.blas) ? ' — not an optimised BLAS: install libopenblas0-pthread' : '';
    return { source: `measured now (${python}): torch ${j.torch}, ${j.threads} threads, BLAS ${j.blas}${slowBlas}`, shapes: j.shapes };
  }
  return { ...NOTES, source: `${NOTES.source}; PyTorch could not run here (${why.join('; ')})` };
}
