import { formatRunLine, formatSeconds, type RunProgress } from "@ser/core";
import type { EpochLog, TrainProgress } from "@ser/core/ml.ts";

const pct = (x: number | undefined) => (x === undefined ? "  -  " : `${(100 * x).toFixed(1).padStart(5)}%`);

/**
 * A progress line on a terminal (the run's phases and time left from core's run progress, then
 * the epoch's bar); one plain line per epoch otherwise (logs, CI).
 */
export function createTrainProgress(write: (text: string) => void, isTerminal: boolean, run?: RunProgress) {
  let lastDraw = 0;
  return {
    onFeatures(n: number) {
      run?.features(n);
      if (!isTerminal || !run) return;
      const now = Date.now();
      if (now - lastDraw < 100) return;
      lastDraw = now;
      write(`\r\x1b[2K${formatRunLine(run.view())}`);
    },
    onProgress(p: TrainProgress) {
      run?.batch(p);
      if (!isTerminal) return;
      const now = Date.now();
      if (now - lastDraw < 100 && p.batch !== p.batches) return;
      lastDraw = now;
      const width = 24;
      const filled = Math.round((p.batch / p.batches) * width);
      const v = run?.view();
      const phase = v ? `${v.phases.find((q) => q.name === v.current)!.label}: ` : "";
      const left = v ? (v.etaS === undefined ? "" : ` · run: about ${formatSeconds(v.etaS)} left`) : ` ETA ${formatSeconds(p.etaS)}`;
      write(`\r\x1b[2K${phase}epoch ${p.epoch}/${p.epochs} [${"#".repeat(filled)}${".".repeat(width - filled)}] loss ${p.loss.toFixed(3)} acc ${pct(p.accuracy)} ${p.samplesPerSecond.toFixed(0)} samples/s${left}`);
    },
    onEpoch(l: EpochLog) {
      run?.epoch(l);
      const line = `epoch ${String(l.epoch).padStart(3)}  loss ${l.loss.toFixed(4)}  acc ${pct(l.accuracy)}  val_loss ${l.valLoss?.toFixed(4) ?? "-"}  val_acc ${pct(l.valAccuracy)}  val_uar ${pct(l.valUar)}  lr ${l.learningRate.toExponential(2)}  ${l.seconds.toFixed(1)}s  ${l.samplesPerSecond.toFixed(0)} samples/s`;
      write(isTerminal ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
