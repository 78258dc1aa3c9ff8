import { SerError } from "../errors.ts";

/**
 * Classification metrics equal to scikit-learn's (checked against sklearn output by
 * metrics.test.ts): labels are class indices 0..nClasses-1 and `classNames` name them.
 */
export interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationReport {
  n: number;
  labels: string[];
  accuracy: number;
  /** Unweighted average recall = sklearn balanced_accuracy_score. */
  uar: number;
  /** Present when probabilities were given: sklearn top_k_accuracy_score(k=2). */
  top2Accuracy?: number;
  macro: Averages;
  weighted: Averages;
  perClass: ClassMetrics[];
  /** Rows = true class, columns = predicted class (sklearn confusion_matrix). */
  confusionMatrix: number[][];
}

function check(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, n: number): void {
  if (yTrue.length !== yPred.length) {
    throw new SerError("invalid-input", `y_true has ${yTrue.length} labels but y_pred has ${yPred.length}.`);
  }
  for (const arr of [yTrue, yPred]) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= n) throw new SerError("invalid-input", `label ${v} at position ${i} is not a class index 0..${n - 1}.`);
    }
  }
}

export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  check(yTrue, yPred, nClasses);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]!]![yPred[i]!]!++;
  return m;
}

export function accuracyScore(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length === 0) return 0;
  let ok = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) ok++;
  return ok / yTrue.length;
}

/** sklearn precision_recall_fscore_support(average=None, zero_division=0) per class. */
export function precisionRecallF1(cm: number[][], classNames: readonly string[]): ClassMetrics[] {
  return cm.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, r) => a + r[c]!, 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label: classNames[c] ?? String(c), precision, recall, f1, support };
  });
}

/** sklearn balanced_accuracy_score: mean recall over the classes present in y_true. */
export function unweightedAverageRecall(cm: number[][]): number {
  const recalls = cm.map((row, c) => {
    const s = row.reduce((a, b) => a + b, 0);
    return s === 0 ? NaN : row[c]! / s;
  }).filter((r) => !Number.isNaN(r));
  return recalls.length === 0 ? 0 : recalls.reduce((a, b) => a + b, 0) / recalls.length;
}

/**
 * sklearn top_k_accuracy_score(y_true, y_score, k): a sample counts when its true class is
 * among the k highest scores. `scores` is [n × nClasses] row-major.
 */
export function topKAccuracy(yTrue: ArrayLike<number>, scores: ArrayLike<number>, nClasses: number, k: number): number {
  const n = yTrue.length;
  if (scores.length !== n * nClasses) throw new SerError("invalid-input", `scores hold ${scores.length} values, expected ${n} × ${nClasses}.`);
  let hits = 0;
  for (let i = 0; i < n; i++) {
    const t = yTrue[i]!;
    const ts = scores[i * nClasses + t]!;
    // sklearn ranks with a stable argsort: ties with the true class go to the lower index.
    let better = 0;
    for (let c = 0; c < nClasses; c++) {
      const s = scores[i * nClasses + c]!;
      if (s > ts || (s === ts && c > t)) better++;
    }
    if (better < k) hits++;
  }
  return n === 0 ? 0 : hits / n;
}

export function evaluate(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  classNames: readonly string[],
  scores?: ArrayLike<number>,
): EvaluationReport {
  const n = classNames.length;
  const cm = confusionMatrix(yTrue, yPred, n);
  const perClass = precisionRecallF1(cm, classNames);
  const total = yTrue.length;
  const mean = (f: (m: ClassMetrics) => number) => perClass.reduce((a, m) => a + f(m), 0) / Math.max(1, perClass.length);
  const wmean = (f: (m: ClassMetrics) => number) =>
    total === 0 ? 0 : perClass.reduce((a, m) => a + f(m) * m.support, 0) / total;
  return {
    n: total,
    labels: [...classNames],
    accuracy: accuracyScore(yTrue, yPred),
    uar: unweightedAverageRecall(cm),
    ...(scores ? { top2Accuracy: topKAccuracy(yTrue, scores, n, Math.min(2, n)) } : {}),
    macro: { precision: mean((m) => m.precision), recall: mean((m) => m.recall), f1: mean((m) => m.f1), support: total },
    weighted: { precision: wmean((m) => m.precision), recall: wmean((m) => m.recall), f1: wmean((m) => m.f1), support: total },
    perClass,
    confusionMatrix: cm,
  };
}

/**
 * Python's `format(x, ".{digits}f")`: like toFixed, except that exact ties round half to
 * even (format(0.125, ".2f") == "0.12" where (0.125).toFixed(2) == "0.13").
 */
export function formatFixed(x: number, digits: number): string {
  const fixed = x.toFixed(digits);
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf(".");
  const rest = exact.slice(dot + 1 + digits);
  if (rest[0] === "5" && /^50*$/.test(rest)) {
    const down = (Math.sign(x) * Math.floor(Math.abs(x) * 10 ** digits) / 10 ** digits).toFixed(digits);
    const lastDigit = Number(down.replace(/[^0-9]/g, "").slice(-1));
    return lastDigit % 2 === 0 ? down : fixed;
  }
  return fixed;
}

/** sklearn classification_report(y_true, y_pred, target_names=labels, digits=2, zero_division=0) text. */
export function classificationReport(report: EvaluationReport, digits = 2): string {
  const headers = ["precision", "recall", "f1-score", "support"];
  const width = Math.max(...report.labels.map((l) => l.length), "weighted avg".length, digits);
  const f = (x: number) => formatFixed(x, digits).padStart(9);
  let out = " ".repeat(width) + " " + headers.map((h) => " " + h.padStart(9)).join("") + "\n\n";
  for (const m of report.perClass) {
    out += `${m.label.padStart(width)}  ${f(m.precision)} ${f(m.recall)} ${f(m.f1)} ${String(m.support).padStart(9)}\n`;
  }
  out += "\n";
  // sklearn prints an "accuracy" row only when the label list equals the labels that occur;
  // a listed class that is neither true nor predicted anywhere turns it into "micro avg".
  const unused = report.confusionMatrix.some((row, c) =>
    row.every((v) => v === 0) && report.confusionMatrix.every((r) => r[c] === 0)
  );
  if (unused) {
    const a = report.accuracy;
    out += `${"micro avg".padStart(width)}  ${f(a)} ${f(a)} ${f(a)} ${String(report.n).padStart(9)}\n`;
  } else {
    out += `${"accuracy".padStart(width)}  ${"".padStart(9)} ${"".padStart(9)} ${f(report.accuracy)} ${String(report.n).padStart(9)}\n`;
  }
  for (const [name, a] of [["macro avg", report.macro], ["weighted avg", report.weighted]] as const) {
    out += `${name.padStart(width)}  ${f(a.precision)} ${f(a.recall)} ${f(a.f1)} ${String(a.support).padStart(9)}\n`;
  }
  return out;
}
