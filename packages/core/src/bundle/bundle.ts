import type { BundleCalibration } from "../metrics/calibration.ts";
export type { BundleCalibration, CalibrationScores } from "../metrics/calibration.ts";
import * as tf from "@tensorflow/tfjs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { SerError } from "../errors.ts";
import type { StandardScalerState } from "../encode/standard-scaler.ts";
import { type Emotion, labelName } from "../data/labels.ts";
import { type FrontendConfig, frontendShape } from "../features/frontend.ts";
import type { DatasetRecord, LegacyTrainingRecord, TrainingRecord } from "./training-record.ts";
import type { EvaluationReport } from "../metrics/metrics.ts";
import type { MeetingProtocol } from "../metrics/protocol-names.ts";

export const BUNDLE_FORMAT = "ser-model-bundle";
export const BUNDLE_VERSION = 1;

/** ser.json: everything besides the network needed to use (and trust) a trained model. */
export interface BundleMeta {
  format: typeof BUNDLE_FORMAT;
  formatVersion: number;
  createdAt: string;
  model: { name: string; inputShape: number[]; parameters: number };
  frontend: FrontendConfig;
  labels: Emotion[];
  scaler: StandardScalerState;
  /** How it was trained (typed since record version 2; older bundles carry free-form keys). */
  training: TrainingRecord | LegacyTrainingRecord;
  seed: number;
  /** How the reported numbers were obtained (the split protocol). */
  protocol: string;
  dataset: DatasetRecord | (Partial<DatasetRecord> & Record<string, unknown>);
  evaluation?: EvaluationReport;
  /**
   * With per-speaker normalisation: the training speakers' statistics averaged, used for a
   * speaker of whom too few clips are given to estimate their own.
   */
  normalizationFallback?: { mean: number[]; scale: number[] };
  /**
   * With per-speaker normalisation (bundles from record version 2): the training speakers'
   * average statistics and κ, the clips at which a speaker's own statistics weigh as much as
   * them (features/speaker-norm.ts). Replaces normalizationFallback.
   */
  speakerNormalization?: { kappa: number; prior: { mean: number[]; variance: number[] } };
  /** The test set scored every way of meeting a speaker (experiment/speaker-protocols.ts). */
  protocols?: Record<MeetingProtocol, EvaluationReport>;
  /**
   * Temperature scaling fitted on the validation speakers' predictions (never the test set);
   * prediction divides log-probabilities by it. Absent: no validation split, probabilities as trained.
   */
  calibration?: BundleCalibration;
}

export type BundleFiles = Record<string, Uint8Array>;

/** The files a bundle always has; every other file (assets such as encoder weights) travels with it untouched. */
export const BUNDLE_CORE_FILES = ["model.json", "weights.bin", "ser.json"] as const;

/**
 * Serialises a model and its metadata into the bundle's files: model.json, weights.bin, ser.json,
 * plus any `assets` (paths relative to the bundle, e.g. "assets/encoder.bin"), kept byte for byte.
 */
export async function saveBundle(model: tf.LayersModel, meta: BundleMeta, assets: BundleFiles = {}): Promise<BundleFiles> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save({
    save: (a: tf.io.ModelArtifacts) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(0), modelTopologyType: "JSON" } });
    },
  });
  const a = artifacts!;
  const data = a.weightData;
  const weights = data === undefined ? new Uint8Array(0) : Array.isArray(data) ? concatBuffers(data) : new Uint8Array(data);
  const modelJson = {
    format: "layers-model",
    generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    modelTopology: a.modelTopology,
    weightsManifest: [{ paths: ["weights.bin"], weights: a.weightSpecs }],
  };
  for (const name of Object.keys(assets)) {
    if ((BUNDLE_CORE_FILES as readonly string[]).includes(name)) throw new SerError("invalid-input", `bundle asset '${name}' would overwrite the bundle's own ${name}`);
  }
  return {
    ...assets,
    "model.json": strToU8(JSON.stringify(modelJson)),
    "weights.bin": weights,
    "ser.json": strToU8(JSON.stringify(meta, null, 1)),
  };
}

function concatBuffers(parts: ArrayBuffer[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  return out;
}

function parseJson(files: BundleFiles, name: string): Record<string, unknown> {
  const bytes = files[name];
  if (!bytes) throw new SerError("invalid-input", `model bundle is missing ${name}`);
  try {
    return JSON.parse(strFromU8(bytes));
  } catch (e) {
    throw new SerError("invalid-input", `model bundle's ${name} is not valid JSON (${(e as Error).message})`);
  }
}

/** Reads and checks ser.json without loading the network. */
export function readBundleMeta(files: BundleFiles): BundleMeta {
  const meta = parseJson(files, "ser.json") as unknown as BundleMeta;
  if (meta.format !== BUNDLE_FORMAT) throw new SerError("invalid-input", `ser.json is not a ser model bundle (format '${String(meta.format)}')`);
  if (meta.formatVersion !== BUNDLE_VERSION) {
    throw new SerError("invalid-input", `model bundle format version ${meta.formatVersion} is not supported by this version (it reads version ${BUNDLE_VERSION})`);
  }
  let shape: number[];
  try {
    shape = frontendShape(meta.frontend);
  } catch (e) {
    throw new SerError("invalid-input", `ser.json has an invalid front end: ${(e as Error).message}`);
  }
  // Labels as ingest makes them (labelName: lower case, synonyms mapped), unique.
  if (!Array.isArray(meta.labels) || meta.labels.length < 2 || !meta.labels.every((l) => typeof l === "string" && labelName(l) === l) || new Set(meta.labels).size !== meta.labels.length) {
    throw new SerError("invalid-input", `ser.json lists invalid labels: ${JSON.stringify(meta.labels)}`);
  }
  // Checked against the shape the config gives, without building the front end's tables.
  const dims = shape[shape.length - 1]!;
  if (meta.scaler?.dims !== dims || meta.scaler.mean?.length !== dims || meta.scaler.scale?.length !== dims) {
    throw new SerError("invalid-input", `ser.json's scaler has ${meta.scaler?.dims} dimensions but its front end produces ${dims}`);
  }
  if (JSON.stringify(meta.model?.inputShape) !== JSON.stringify(shape)) {
    throw new SerError("invalid-input", `ser.json's model input [${meta.model?.inputShape}] does not match its front end's output [${shape}]`);
  }
  const t = meta.calibration?.temperature;
  if (meta.calibration !== undefined && !(typeof t === "number" && t > 0 && Number.isFinite(t))) {
    throw new SerError("invalid-input", `ser.json's calibration temperature must be a positive number, got ${JSON.stringify(t)}`);
  }
  return meta;
}

export interface LoadedBundle {
  model: tf.LayersModel;
  meta: BundleMeta;
  /** Every file of the bundle besides the network and ser.json (assets), by relative path. */
  assets: BundleFiles;
}

/** Loads a bundle's network and metadata, checking that they agree. */
export async function loadBundle(files: BundleFiles): Promise<LoadedBundle> {
  const meta = readBundleMeta(files);
  const modelJson = parseJson(files, "model.json") as { modelTopology?: unknown; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[] };
  if (!modelJson.modelTopology || !Array.isArray(modelJson.weightsManifest)) {
    throw new SerError("invalid-input", "model.json lacks modelTopology or weightsManifest");
  }
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const paths = modelJson.weightsManifest.flatMap((g) => g.paths);
  const parts: Uint8Array[] = [];
  for (const p of paths) {
    const f = files[p];
    if (!f) throw new SerError("invalid-input", `model bundle is missing the weight file ${p} named in model.json`);
    parts.push(f);
  }
  const weightData = concatBuffers(parts.map((p) => p.slice().buffer as ArrayBuffer));
  const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (weightData.byteLength !== expected) {
    throw new SerError("invalid-input", `weight files hold ${weightData.byteLength} bytes but model.json describes ${expected}`);
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelJSON["modelTopology"],
      weightSpecs: specs,
      weightData: weightData.buffer as ArrayBuffer,
    }));
  } catch (e) {
    throw new SerError("invalid-input", `model.json could not be loaded: ${(e as Error).message}`);
  }
  const inShape = (model.inputs[0]!.shape as (number | null)[]).slice(1);
  const outUnits = model.outputs[0]!.shape[1];
  if (JSON.stringify(inShape) !== JSON.stringify(meta.model.inputShape)) {
    model.dispose();
    throw new SerError("invalid-input", `the network expects input [${inShape}] but ser.json says [${meta.model.inputShape}]`);
  }
  if (outUnits !== meta.labels.length) {
    model.dispose();
    throw new SerError("invalid-input", `the network has ${outUnits} outputs but ser.json lists ${meta.labels.length} labels`);
  }
  const assets = Object.fromEntries(Object.entries(files).filter(([name]) => !(BUNDLE_CORE_FILES as readonly string[]).includes(name) && !paths.includes(name)));
  return { model, meta, assets };
}

/** The bundle as one zip (same files, same names). */
export function bundleToZip(files: BundleFiles): Uint8Array {
  return zipSync(files, { level: 6 });
}

export function bundleFromZip(bytes: Uint8Array): BundleFiles {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    throw new SerError("invalid-input", `model bundle zip could not be read: ${(e as Error).message}`);
  }
  // Accept bundles zipped with or without an enclosing folder: the folder holding ser.json is the
  // bundle's root; every file under it keeps its relative path (assets may sit in subfolders).
  const names = Object.keys(entries).filter((n) => !n.endsWith("/"));
  const meta = names.filter((n) => n === "ser.json" || n.endsWith("/ser.json")).sort((a, b) => a.length - b.length)[0];
  const root = meta === undefined ? "" : meta.slice(0, meta.length - "ser.json".length);
  const out: BundleFiles = {};
  for (const name of names) {
    if (!name.startsWith(root) || name.includes("__MACOSX/")) continue;
    out[name.slice(root.length)] = entries[name]!;
  }
  return out;
}
