/** The model factories' names (tfjs-free, so specs and the page's main thread can list them). */
export const MODEL_NAMES = ["mlp", "cnn1d", "crnn", "cnn2d", "transformer"] as const;
export type ModelName = (typeof MODEL_NAMES)[number];
