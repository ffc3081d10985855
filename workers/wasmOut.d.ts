// tfjs-backend-wasm's pthread worker source (a CommonJS file with no declarations), imported by workers/wasmThreads.ts.
declare module '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js' {
  export const wasmWorkerContents: string;
}
