/**
 * The TensorFlow.js half of @ser/core (import "@ser/core/ml.ts"): models, training, bundles.
 * Kept apart from mod.ts so that feature extraction and data handling load without tfjs.
 */
export * from "./models/models.ts";
export * from "./train/fit.ts";
export * from "./train/backend.ts";
export * from "./train/conv-gradient.ts";
export * from "./train/software-gpu-kernels.ts";
export * from "./bundle/bundle.ts";
export * from "./pipeline/experiment.ts";
export * as tf from "@tensorflow/tfjs";
export * from "./pipeline/predict.ts";
export * from "./pipeline/defaults.ts";
export * from "./pipeline/corpus-builder.ts";
export * from "./pipeline/mc-dropout.ts";
export * from "./pipeline/tune.ts";
