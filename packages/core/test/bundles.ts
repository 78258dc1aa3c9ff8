/** Test helper: an untrained mlp and a consistent ser.json for a pooled front end (bundle and predictor tests). */
import { createModel } from "../src/models/models.ts";
import { selectBackend } from "../src/train/backend.ts";
import { type FrontendConfig, frontendShape } from "../src/features/frontend.ts";
import { BUNDLE_FORMAT, BUNDLE_VERSION, type BundleMeta } from "../src/bundle/bundle.ts";

export async function untrainedBundle(config: FrontendConfig, extra: Partial<BundleMeta> = {}) {
  await selectBackend("cpu");
  const shape = frontendShape(config);
  const dims = shape[shape.length - 1]!;
  const model = createModel("mlp", { inputShape: shape, nClasses: 3, seed: 4 });
  const meta: BundleMeta = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_VERSION,
    createdAt: "2026-11-24T00:00:00.000Z",
    model: { name: "mlp", inputShape: shape, parameters: model.countParams() },
    frontend: config,
    labels: ["neutral", "happy", "sad"],
    scaler: { dims, mean: new Array(dims).fill(0), scale: new Array(dims).fill(1) },
    training: {},
    seed: 4,
    protocol: "test",
    dataset: {},
    ...extra,
  };
  return { model, meta, dims };
}
