import * as tf from "@tensorflow/tfjs";
import { SerError } from "../errors.ts";
import { createRng, type Rng } from "../rng.ts";
import { installConvFilterGradient } from "./conv-gradient.ts";
import { SeededDropout } from "../models/seeded-dropout.ts";
import { gpuDeviceLost } from "./backend.ts";
import { unweightedAverageRecall, confusionMatrix } from "../metrics/metrics.ts";

/** A labelled set in memory: `n` items of `size` values each, row-major. */
export interface ArrayDataset {
  n: number;
  /** Shape of one item (without batch axis). */
  shape: readonly number[];
  x: Float32Array;
  y: Int32Array;
}

export interface TrainProgress {
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  /** Mean training loss and accuracy over the batches so far in this epoch (read every few batches). */
  loss: number;
  accuracy: number;
  samplesPerSecond: number;
  /** Estimated seconds left for the whole run (at the current epoch budget). */
  etaS: number;
}

export interface EpochLog {
  epoch: number;
  /** Mean training cross-entropy (sample-weighted), without the L2 penalty. */
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  valUar?: number;
  learningRate: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** "cosine" decays to ~0 over the epochs; "plateau" halves the rate after 3 epochs without validation gain. */
  schedule: "cosine" | "plateau" | "constant";
  /** Stop after this many epochs without a better validation UAR (needs validation); 0 disables. */
  patience: number;
  /**
   * Each training item's weight in the loss (sample-weights.ts: corpus, class or clip
   * weighting); the batch loss is Σ w·ce / Σ w. Undefined: every item 1.
   */
  sampleWeights?: Float32Array;
  /**
   * L2 penalty on the dense and convolution kernels (not biases or normalisation): adds
   * l2 / 2 · Σ‖W‖² to the loss, as sklearn's MLPClassifier(alpha = l2 · n_samples) does. Default 0.
   */
  l2?: number;
  seed: number;
  nClasses: number;
  validation?: ArrayDataset;
  /**
   * Fills `out` with the training input for item `index` (augmentation happens here). Defaults
   * to copying the item's stored features.
   */
  fillItem?: (index: number, out: Float32Array, rng: Rng) => void;
  onProgress?: (p: TrainProgress) => void;
  onEpoch?: (log: EpochLog) => void;
  signal?: AbortSignal;
  /** Called after every completed epoch with everything needed to resume from it. */
  onCheckpoint?: (c: FitCheckpoint) => Promise<void> | void;
  /** Continue a run from its last checkpoint: same data, options and seed give the same result as an uninterrupted run. */
  resume?: FitCheckpoint;
  /**
   * At the end of a run that was not cancelled, go back to the best validation epoch's weights
   * (default). False keeps the last epoch's, as a model retrained for a fixed number of epochs will be.
   */
  restoreBest?: boolean;
}

/** What the first of runExperiment's two fits hands the second (see ExperimentOptions.refit). */
export interface RefitStage {
  name: "first" | "refit";
  /** Set once the first fit is done. */
  decided?: { epochs: number; calibration?: { temperature: number; fittedOn: string } };
}

/** A tensor's values, off the device. */
export interface SavedTensor {
  name: string;
  shape: number[];
  dtype: "float32" | "int32";
  values: Float32Array | Int32Array;
}

/** The state of fit() after `epoch` completed epochs. */
export interface FitCheckpoint {
  epoch: number;
  weights: SavedTensor[];
  /** Adam's iteration count and moment estimates. */
  optimizer: SavedTensor[];
  best?: { uar: number; loss: number; epoch: number; weights: SavedTensor[] };
  /** Adam's running beta powers (products accumulated step by step, not recomputable bit for bit). */
  adamBetaPowers?: [number, number];
  /** Mask counters of the model's seeded dropout layers, in layer order. */
  dropoutCalls: number[];
  /**
   * Set by runExperiment when it retrains: which of its two fits this checkpoint belongs to, and
   * for the second what the first one decided (so a resumed run does not repeat it).
   */
  stage?: RefitStage;
  sinceBest: number;
  plateauWait: number;
  learningRate: number;
  history: EpochLog[];
}

async function saveTensors(list: { name: string; tensor: tf.Tensor }[]): Promise<SavedTensor[]> {
  return Promise.all(list.map(async ({ name, tensor }) => ({
    name,
    shape: [...tensor.shape],
    dtype: tensor.dtype === "int32" ? "int32" as const : "float32" as const,
    values: (await tensor.data()) as Float32Array | Int32Array,
  })));
}

const toTensor = (t: SavedTensor) => tf.tensor(t.values, t.shape, t.dtype);

const dropoutLayers = (model: tf.LayersModel) => model.layers.filter((l): l is SeededDropout => l instanceof SeededDropout);

async function adamBetaPowers(optimizer: tf.Optimizer): Promise<[number, number] | undefined> {
  const adam = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  if (!adam.accBeta1 || !adam.accBeta2) return undefined;
  return [(await adam.accBeta1.data())[0]!, (await adam.accBeta2.data())[0]!];
}

export interface FitResult {
  history: EpochLog[];
  /** Epoch (1-based) whose weights the model holds at the end: the best on validation, or the last. */
  bestEpoch: number;
  stoppedEarly: boolean;
  cancelled: boolean;
}

const EPS = 1e-7;

/**
 * Trains a compiled-or-not softmax model with Adam on `train`. Batches are built on the CPU
 * (where augmentation runs), uploaded once, and every tensor is released: the count of live
 * tensors is the same after every epoch. Loss and accuracy stay on the device and are read
 * back every few batches, because each readback stalls a WebGPU queue.
 * On cancel or early stop the best validation weights are restored.
 */
export async function fit(model: tf.LayersModel, train: ArrayDataset, o: FitOptions): Promise<FitResult> {
  installConvFilterGradient();
  if (train.n === 0) throw new SerError("invalid-input", "training set is empty.");
  if (!(o.batchSize >= 1)) throw new SerError("invalid-config", `batch size must be at least 1, got ${o.batchSize}.`);
  const size = train.shape.reduce((a, b) => a * b, 1);
  const rng = createRng(o.seed);
  const optimizer = tf.train.adam(o.learningRate);
  if (o.sampleWeights && o.sampleWeights.length !== train.n) throw new SerError("invalid-config", `${o.sampleWeights.length} sample weights for ${train.n} training items.`);
  const fillItem = o.fillItem ?? ((i: number, out: Float32Array) => out.set(train.x.subarray(i * size, (i + 1) * size)));
  const batches = Math.ceil(train.n / o.batchSize);
  const l2 = o.l2 ?? 0;
  if (!(l2 >= 0)) throw new SerError("invalid-config", `L2 penalty must be 0 or positive, got ${o.l2}.`);
  const kernels = model.trainableWeights.filter((w) => /kernel/.test(w.originalName));
  const history: EpochLog[] = [];
  let best: { uar: number; loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
  let sinceBest = 0;
  let plateauWait = 0;
  let lr = o.learningRate;
  let firstEpoch = 1;
  let checkpointed = o.resume?.epoch ?? 0;
  if (o.resume) {
    const r = o.resume;
    const current = model.getWeights();
    if (r.weights.length !== current.length || r.weights.some((w, i) => w.shape.join() !== current[i]!.shape.join())) {
      throw new SerError("invalid-input", "the checkpoint's weights do not fit this model (another model or input shape).");
    }
    const weights = r.weights.map(toTensor);
    model.setWeights(weights);
    tf.dispose(weights);
    const opt = r.optimizer.map((t) => ({ name: t.name, tensor: toTensor(t) }));
    if (opt.length > 0) await optimizer.setWeights(opt);
    tf.dispose(opt.map((t) => t.tensor));
    const adam = optimizer as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
    if (r.adamBetaPowers && adam.accBeta1 && adam.accBeta2) {
      const [b1, b2] = r.adamBetaPowers;
      tf.tidy(() => {
        adam.accBeta1!.assign(tf.scalar(b1));
        adam.accBeta2!.assign(tf.scalar(b2));
      });
    }
    dropoutLayers(model).forEach((l, i) => (l.calls = r.dropoutCalls[i] ?? 0));
    if (r.best) best = { ...r.best, weights: r.best.weights.map(toTensor) };
    sinceBest = r.sinceBest;
    plateauWait = r.plateauWait;
    lr = r.learningRate;
    history.push(...r.history);
    firstEpoch = r.epoch + 1;
  }
  let cancelled = false;
  let stoppedEarly = false;
  const startAll = performance.now();
  let samplesDone = 0;
  const batchX = new Float32Array(o.batchSize * size);
  const batchOneHot = new Float32Array(o.batchSize * o.nClasses);
  const batchWeight = new Float32Array(o.batchSize);
  // Each epoch draws its own stream from the run's: replaying the skipped draws on resume keeps
  // shuffling and augmentation identical to an uninterrupted run.
  for (let e = 1; e < firstEpoch; e++) rng.fork();

  try {
    for (let epoch = firstEpoch; epoch <= o.epochs; epoch++) {
      if (o.schedule === "cosine") lr = o.learningRate * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / o.epochs));
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
      const epochRng = rng.fork();
      const order = epochRng.shuffle(Array.from({ length: train.n }, (_, i) => i));
      const t0 = performance.now();
      let lossSum = tf.scalar(0);
      let correctSum = tf.scalar(0);
      let seen = 0;
      let lastRead = { loss: NaN, accuracy: NaN };
      for (let b = 0; b < batches; b++) {
        if (o.signal?.aborted) {
          cancelled = true;
          break;
        }
        const idx = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        const m = idx.length;
        batchOneHot.fill(0);
        for (let j = 0; j < m; j++) {
          fillItem(idx[j]!, batchX.subarray(j * size, (j + 1) * size), epochRng);
          batchOneHot[j * o.nClasses + train.y[idx[j]!]!] = 1;
          batchWeight[j] = o.sampleWeights ? o.sampleWeights[idx[j]!]! : 1;
        }
        const xs = tf.tensor(batchX.subarray(0, m * size), [m, ...train.shape]);
        const ys = tf.tensor2d(batchOneHot.subarray(0, m * o.nClasses), [m, o.nClasses]);
        const ws = tf.tensor1d(batchWeight.subarray(0, m));
        let correct: tf.Scalar | undefined;
        // Reported: the (sample-weighted) cross-entropy alone, comparable with the validation loss;
        // the L2 penalty is optimised but not shown as loss.
        let dataLoss: tf.Scalar | undefined;
        const loss = optimizer.minimize(() => {
          const p = model.apply(xs, { training: true }) as tf.Tensor2D;
          const w = ws;
          const ce = tf.neg(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, EPS, 1))), 1));
          correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), tf.argMax(ys, 1)), "float32"))) as tf.Scalar;
          const data = tf.div(tf.sum(tf.mul(ce, w)), tf.sum(w)) as tf.Scalar;
          if (!l2) return data;
          dataLoss = tf.keep(data);
          return tf.add(data, tf.mul(0.5 * l2, tf.addN(kernels.map((k) => tf.sum(tf.square(k.read())))))) as tf.Scalar;
        }, true) as tf.Scalar;
        const shown: tf.Scalar = dataLoss ?? loss;
        const newLoss = tf.tidy(() => tf.add(lossSum, tf.mul(shown, m)));
        const newCorrect = tf.add(correctSum, correct!);
        tf.dispose([xs, ys, ws, loss, correct!, lossSum, correctSum, ...(dataLoss ? [dataLoss] : [])]);
        lossSum = newLoss as tf.Scalar;
        correctSum = newCorrect as tf.Scalar;
        seen += m;
        samplesDone += m;
        if (o.onProgress && (b % 8 === 7 || b === batches - 1)) {
          const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
          lastRead = { loss: l[0]! / seen, accuracy: c[0]! / seen };
          const elapsed = (performance.now() - startAll) / 1000;
          const rate = samplesDone / Math.max(elapsed, 1e-9);
          const remaining = (o.epochs - epoch) * train.n + (train.n - seen);
          o.onProgress({ epoch, epochs: o.epochs, batch: b + 1, batches, ...lastRead, samplesPerSecond: rate, etaS: remaining / rate });
        }
      }
      const [l, c] = await Promise.all([lossSum.data(), correctSum.data()]);
      tf.dispose([lossSum, correctSum]);
      if (cancelled && seen === 0) break;
      const seconds = (performance.now() - t0) / 1000;
      const log: EpochLog = {
        epoch,
        loss: l[0]! / Math.max(seen, 1),
        accuracy: c[0]! / Math.max(seen, 1),
        learningRate: lr,
        seconds,
        samplesPerSecond: seen / seconds,
      };
      if (!Number.isFinite(log.loss)) {
        throw new SerError("invalid-input", `training diverged: the loss became ${log.loss} in epoch ${epoch}; try a lower learning rate.`);
      }
      if (o.validation && o.validation.n > 0) {
        const v = await evaluateLoss(model, o.validation, o.nClasses, o.batchSize);
        Object.assign(log, { valLoss: v.loss, valAccuracy: v.accuracy, valUar: v.uar });
        const better = best === undefined || v.uar > best.uar + 1e-9 || (Math.abs(v.uar - best.uar) <= 1e-9 && v.loss < best.loss);
        if (better) {
          if (best) tf.dispose(best.weights);
          best = { uar: v.uar, loss: v.loss, epoch, weights: model.getWeights().map((w) => tf.clone(w)) };
          sinceBest = 0;
          plateauWait = 0;
        } else {
          sinceBest++;
          plateauWait++;
          if (o.schedule === "plateau" && plateauWait >= 3) {
            lr *= 0.5;
            plateauWait = 0;
          }
        }
      }
      history.push(log);
      o.onEpoch?.(log);
      if (cancelled) break;
      if (o.onCheckpoint) {
        const iter = await optimizer.getWeights();
        const checkpoint: FitCheckpoint = {
          epoch,
          weights: await saveTensors(model.getWeights().map((t, i) => ({ name: `w${i}`, tensor: t }))),
          optimizer: await saveTensors(iter),
          best: best ? { uar: best.uar, loss: best.loss, epoch: best.epoch, weights: await saveTensors(best.weights.map((t, i) => ({ name: `w${i}`, tensor: t }))) } : undefined,
          adamBetaPowers: await adamBetaPowers(optimizer),
          dropoutCalls: dropoutLayers(model).map((l) => l.calls),
          sinceBest,
          plateauWait,
          learningRate: lr,
          history: [...history],
        };
        iter[0]?.tensor.dispose(); // the iteration count is a fresh scalar; the moments are the optimizer's own variables
        await o.onCheckpoint(checkpoint);
        checkpointed = epoch;
      }
      if (o.patience > 0 && best && sinceBest >= o.patience) {
        stoppedEarly = true;
        break;
      }
    }
    const restore = best !== undefined && (cancelled || o.restoreBest !== false);
    if (restore) model.setWeights(best!.weights);
    return { history, bestEpoch: restore ? best!.epoch : history.length, stoppedEarly, cancelled };
  } catch (e) {
    // A lost GPU makes every later call fail with a generic WebGPU error: say what happened.
    await new Promise((r) => setTimeout(r, 0));
    const loss = gpuDeviceLost();
    if (loss) {
      const kept = o.onCheckpoint ? `; the checkpoint of epoch ${checkpointed} is kept, so the run can be resumed (on the CPU if the GPU stays unavailable)` : "";
      throw new SerError("device-lost", `the GPU device was lost during training (${loss.reason}${loss.message ? `: ${loss.message}` : ""})${kept}.`);
    }
    throw e;
  } finally {
    if (best) tf.dispose(best.weights);
    optimizer.dispose();
  }
}

/** Class probabilities [n × nClasses] for a dataset, in batches. */
export async function predictProbabilities(model: tf.LayersModel, data: ArrayDataset, batchSize = 64): Promise<Float32Array> {
  const size = data.shape.reduce((a, b) => a * b, 1);
  const nClasses = (model.outputs[0]!.shape[1] as number);
  const out = new Float32Array(data.n * nClasses);
  for (let start = 0; start < data.n; start += batchSize) {
    const m = Math.min(batchSize, data.n - start);
    const p = tf.tidy(() => {
      const xs = tf.tensor(data.x.subarray(start * size, (start + m) * size), [m, ...data.shape]);
      return model.predict(xs) as tf.Tensor;
    });
    out.set(await p.data(), start * nClasses);
    p.dispose();
  }
  return out;
}

export function argmaxRows(p: Float32Array, nClasses: number): Int32Array {
  const n = p.length / nClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < nClasses; c++) if (p[i * nClasses + c]! > p[i * nClasses + best]!) best = c;
    out[i] = best;
  }
  return out;
}

async function evaluateLoss(model: tf.LayersModel, data: ArrayDataset, nClasses: number, batchSize: number) {
  const p = await predictProbabilities(model, data, batchSize);
  let loss = 0;
  for (let i = 0; i < data.n; i++) loss -= Math.log(Math.max(EPS, p[i * nClasses + data.y[i]!]!));
  const pred = argmaxRows(p, nClasses);
  let ok = 0;
  for (let i = 0; i < data.n; i++) if (pred[i] === data.y[i]) ok++;
  return { loss: loss / data.n, accuracy: ok / data.n, uar: unweightedAverageRecall(confusionMatrix(data.y, pred, nClasses)) };
}
