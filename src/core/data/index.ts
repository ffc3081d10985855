export * from './datasetError';
export * from './drcd';
export * from './sqgExamples';
export * from './sampleDataset';
export { generateSample, SAMPLE_SEED } from './sampleGenerator';
export { seededRandom, shuffled } from './random';
export * from './sqgExampleSet';
export * from './sqgExampleStore';
