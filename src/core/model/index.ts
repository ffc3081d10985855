// The model module's public surface (see docs/ARCHITECTURE.md, "model").
export * from './bertConfig';
export { countParameters } from './parameterCount';
export { parameterSpecs, TIED_PARAMETERS, type ParamSpec, type ParamKind } from './parameterSpecs';
export { BertForMaskedLM, hfParamName, type BertInputs, type ForwardOptions, type ForwardOutput } from './bertForMaskedLM';
export { resolveStateDict, normalizeKey, StateDictError, type StateTensor } from './stateDict';
export { readSafetensors, writeSafetensors, SafetensorsError, type SafeTensor, type SafetensorsFile } from './safetensors';
export { readPytorchBin, PytorchBinError, type PytorchBinFile } from './pytorchBin';
export { readModelWeights, pickWeightsFile, WEIGHT_FILES, type ModelWeights, type WeightFileName } from './modelWeights';
export { PickleError } from './pickle';
export { ZipError } from './zipDirectory';
export { loadHfModel, exportHfModel, type HfModelFiles, type HfFolderFiles } from './hfFolder';
export { dense } from './dense';
