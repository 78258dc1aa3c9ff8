/**
 * The TensorFlow.js half of @ser/core (import "@ser/core/ml.ts"): models, training, bundles.
 * Kept apart from mod.ts so that feature extraction and data handling load without tfjs; it
 * re-exports mod.ts, so tfjs-side code imports from one place.
 */
export * from "./mod.ts";
export * from "./models/models.ts";
export * from "./train/fit.ts";
export * from "./train/backend.ts";
export * from "./train/conv-gradient.ts";
export * from "./train/software-gpu-kernels.ts";
export * from "./train/wasm-kernels.ts";
export * from "./bundle/bundle.ts";
export * from "./bundle/bundle-meta.ts";
export * from "./experiment/run-experiment.ts";
export * from "./experiment/cross-validate.ts";
export * from "./experiment/train-model.ts";
export * from "./experiment/nested-selection.ts";
export { enrolmentSets, protocolBatch, type ProtocolItem, type ProtocolScore, scoreProtocols } from "./experiment/speaker-protocols.ts";
export * from "./experiment/channel-robustness.ts";
export * as tf from "@tensorflow/tfjs";
export * from "./inference/predictor.ts";
export * from "./inference/predict-grouped.ts";
export * from "./inference/mc-dropout.ts";
export * from "./experiment/tune.ts";
