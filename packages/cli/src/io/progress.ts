import type { EpochLog, TrainProgress } from "@ser/core/ml.ts";

const pct = (x: number | undefined) => (x === undefined ? "  -  " : `${(100 * x).toFixed(1).padStart(5)}%`);
const secs = (s: number) => (s >= 90 ? `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s` : `${s.toFixed(0)}s`);

/** A progress bar per epoch on a terminal; one plain line per epoch otherwise (logs, CI). */
export function createTrainProgress(write: (text: string) => void, isTerminal: boolean) {
  let lastDraw = 0;
  return {
    onProgress(p: TrainProgress) {
      if (!isTerminal) return;
      const now = Date.now();
      if (now - lastDraw < 100 && p.batch !== p.batches) return;
      lastDraw = now;
      const width = 24;
      const filled = Math.round((p.batch / p.batches) * width);
      write(`\r\x1b[2Kepoch ${p.epoch}/${p.epochs} [${"#".repeat(filled)}${".".repeat(width - filled)}] loss ${p.loss.toFixed(3)} acc ${pct(p.accuracy)} ${p.samplesPerSecond.toFixed(0)} samples/s ETA ${secs(p.etaS)}`);
    },
    onEpoch(l: EpochLog) {
      const line = `epoch ${String(l.epoch).padStart(3)}  loss ${l.loss.toFixed(4)}  acc ${pct(l.accuracy)}  val_loss ${l.valLoss?.toFixed(4) ?? "-"}  val_acc ${pct(l.valAccuracy)}  val_uar ${pct(l.valUar)}  lr ${l.learningRate.toExponential(2)}  ${l.seconds.toFixed(1)}s  ${l.samplesPerSecond.toFixed(0)} samples/s`;
      write(isTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
