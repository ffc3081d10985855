import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  MAX_WASM_THREADS,
  cachedTimingsFor,
  fastest,
  formatTimings,
  planAuto,
  softwareReason,
  softwareRendererIn,
  threadedFactoryExpression,
  wasmThreadsNote,
  wasmThreadsPlan,
  whyChosen,
} from './backendChoice';

const require = createRequire(import.meta.url);

describe('software GPUs are recognised', () => {
  it('by the renderer or adapter strings browsers report', () => {
    // Chromium's WebGL on SwiftShader, its WebGPU adapter info (vendor architecture), Mesa's llvmpipe, Windows' WARP
    expect(softwareRendererIn('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe('SwiftShader');
    expect(softwareRendererIn('google swiftshader')).toBe('SwiftShader');
    expect(softwareRendererIn('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe('llvmpipe');
    expect(softwareRendererIn('ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe('Microsoft Basic Render Driver');
    expect(softwareRendererIn('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBeUndefined();
    expect(softwareRendererIn('nvidia ampere')).toBeUndefined();
    expect(softwareRendererIn('Apple M2')).toBeUndefined();
    expect(softwareRendererIn(undefined)).toBeUndefined();
  });

  it('by the fallback flag when the name says nothing', () => {
    expect(softwareReason('webgpu', { description: 'google swiftshader' })).toBe('WebGPU adapter is SwiftShader (software)');
    expect(softwareReason('webgl', { description: 'llvmpipe (LLVM 15)' })).toBe('WebGL renderer is llvmpipe (software)');
    expect(softwareReason('webgpu', { fallback: true })).toBe('WebGPU adapter is a fallback (software) adapter');
    expect(softwareReason('webgpu', { description: 'nvidia ampere', fallback: false })).toBeUndefined();
  });
});

describe("'auto' never takes a software GPU while WASM works", () => {
  const swiftshader = [
    { backend: 'webgpu' as const, probe: { description: 'google swiftshader' } },
    { backend: 'webgl' as const, probe: { description: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)', fallback: true } },
  ];

  it('a machine without a GPU: WASM only, the software GPUs named as usable but not used', () => {
    const plan = planAuto(swiftshader, null);
    expect(plan.candidates).toEqual(['wasm']);
    expect(plan.fallbacks).toEqual([]);
    expect(plan.notUsed.map((n) => [n.backend, n.usable, n.reason])).toEqual([
      ['webgpu', true, 'software (SwiftShader), far slower than WASM for training'],
      ['webgl', true, 'software (SwiftShader), far slower than WASM for training'],
    ]);
    expect(whyChosen('wasm', { pref: 'auto', notUsed: plan.notUsed, budgetMs: 1500 })).toBe(
      'WebGPU adapter is SwiftShader (software); WebGL renderer is SwiftShader (software)',
    );
  });

  it('without WASM the software GPUs are the fallbacks, in order', () => {
    const plan = planAuto(swiftshader, 'WebAssembly is not available');
    expect(plan.candidates).toEqual([]);
    expect(plan.fallbacks).toEqual(['webgpu', 'webgl']);
    expect(plan.notUsed).toEqual([{ backend: 'wasm', reason: 'WebAssembly is not available' }]);
    expect(whyChosen('webgpu', { pref: 'auto', notUsed: plan.notUsed, budgetMs: 1500, probe: swiftshader[0]!.probe })).toBe(
      'WebGPU adapter is SwiftShader (software), used because WASM did not start',
    );
  });

  it('a real GPU and WASM are both candidates (timed); an unavailable GPU is named', () => {
    const plan = planAuto([{ backend: 'webgpu', probe: { description: 'nvidia ampere' } }, { backend: 'webgl', unavailable: 'no WebGL context' }], null);
    expect(plan.candidates).toEqual(['webgpu', 'wasm']);
    expect(plan.notUsed).toEqual([{ backend: 'webgl', reason: 'no WebGL context' }]);
  });
});

describe('timings', () => {
  const t = [
    { backend: 'wasm' as const, ms: 41.2 },
    { backend: 'webgpu' as const, ms: 2.14 },
    { backend: 'webgl' as const, ms: null },
  ];
  it('the fastest that finished wins, shown fastest first', () => {
    expect(fastest(t)).toBe('webgpu');
    expect(fastest([{ backend: 'webgl', ms: null }])).toBeUndefined();
    expect(formatTimings(t, 1500)).toBe('WebGPU 2.1 ms · WASM 41 ms · WebGL > 1.5 s');
    expect(whyChosen('webgpu', { pref: 'auto', notUsed: [], timings: t, budgetMs: 1500 })).toBe('fastest on a timed step: WebGPU 2.1 ms · WASM 41 ms · WebGL > 1.5 s');
  });
  it('cached timings are reused only for the same set of backends', () => {
    expect(cachedTimingsFor(t, ['webgpu', 'wasm', 'webgl'])?.map((x) => x.backend)).toEqual(['webgpu', 'wasm', 'webgl']);
    expect(cachedTimingsFor(t, ['webgpu', 'wasm'])).toBeUndefined();
    expect(cachedTimingsFor(t.slice(0, 2), ['webgpu', 'webgl'])).toBeUndefined();
    expect(cachedTimingsFor(undefined, ['wasm'])).toBeUndefined();
  });
});

describe('a chosen backend', () => {
  it('says so, and that a software GPU is slow', () => {
    expect(whyChosen('wasm', { pref: 'wasm', notUsed: [], budgetMs: 1500 })).toBe('you chose it');
    expect(whyChosen('webgpu', { pref: 'webgpu', notUsed: [], budgetMs: 1500, probe: { description: 'google swiftshader' } })).toBe(
      'you chose it; WebGPU adapter is SwiftShader (software): WASM would be far faster',
    );
    expect(whyChosen('wasm', { pref: 'webgl', notUsed: [{ backend: 'webgl', reason: 'no WebGL context' }], budgetMs: 1500 })).toBe(
      'you chose WebGL, which did not start (no WebGL context)',
    );
  });
});

describe('the WASM build: threaded on every core when the page can run it, else single-threaded and why', () => {
  const isolated = { crossOriginIsolated: true, sharedArrayBuffer: true, hardwareConcurrency: 4 };
  it('takes navigator.hardwareConcurrency threads, at most 8, or the count asked for', () => {
    expect(wasmThreadsPlan(isolated)).toEqual({ threads: 4 });
    expect(wasmThreadsPlan({ ...isolated, hardwareConcurrency: 32 })).toEqual({ threads: MAX_WASM_THREADS });
    expect(wasmThreadsPlan(isolated, 2)).toEqual({ threads: 2 });
    expect(wasmThreadsPlan(isolated, 64)).toEqual({ threads: 8 });
  });
  it('runs on one thread without cross-origin isolation, SharedArrayBuffer or a second core, and says which', () => {
    expect(wasmThreadsPlan({ ...isolated, crossOriginIsolated: false })).toEqual({ threads: 1, reason: 'the page is not cross-origin isolated: no COOP/COEP headers' });
    expect(wasmThreadsPlan({ ...isolated, crossOriginIsolated: undefined, sharedArrayBuffer: false })).toEqual({ threads: 1, reason: 'SharedArrayBuffer is not available' });
    expect(wasmThreadsPlan({ ...isolated, hardwareConcurrency: 1 })).toEqual({ threads: 1, reason: 'the browser reports 1 logical core' });
    expect(wasmThreadsPlan({ ...isolated, hardwareConcurrency: undefined })).toEqual({ threads: 1, reason: 'the browser reports 1 logical core' });
    expect(wasmThreadsPlan(isolated, 1)).toEqual({ threads: 1, reason: 'one thread was asked for' });
  });
  it('words the note the badge lists', () => {
    expect(wasmThreadsNote(2)).toBe('threaded SIMD build, 2 threads');
    expect(wasmThreadsNote(1, 'SharedArrayBuffer is not available')).toBe('single-threaded SIMD build (SharedArrayBuffer is not available)');
    expect(wasmThreadsNote(1)).toBe('single-threaded SIMD build');
  });
  it("finds the threaded factory's own source in the package file, and nothing in another form", () => {
    const file = readFileSync(require.resolve('@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js'), 'utf8');
    const expr = threadedFactoryExpression(file)!;
    expect(expr.startsWith('(() => {')).toBe(true);
    expect(expr.endsWith('})()')).toBe(true);
    expect(expr).not.toMatch(/module\.exports/);
    // what a pthread worker runs: it defines the factory, with the typeof guard that the minified copy lost
    const factory = new Function(`var WasmBackendModuleThreadedSimd = ${expr}; return WasmBackendModuleThreadedSimd;`)();
    expect(typeof factory).toBe('function');
    expect(expr).toContain('typeof _scriptDir !== "undefined" && _scriptDir');
    expect(threadedFactoryExpression('module.exports = function () {};')).toBeUndefined();
  });
});
