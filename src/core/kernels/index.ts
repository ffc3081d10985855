// The kernels module's public surface (see docs/ARCHITECTURE.md, "kernels"): backend-specific speed and memory
// choices the model's math runs through, and the patches a backend gets when it is selected.
export { matMul, matMulTransposeB, matMulStrategy, setMatMulStrategy, type MatMulStrategy } from './fastMatMul';
export { embeddingLookup } from './embeddingLookup';
export { installKernelsFor } from './installKernels';
export { useBackend } from './useBackend';
