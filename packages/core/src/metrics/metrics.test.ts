import assert from "node:assert/strict";
import { join } from "node:path";
import { classificationReport, evaluate, formatFixed } from "./metrics.ts";
import { FIXTURES } from "../../test/helpers.ts";

const NAMES = ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"];
const { cases } = JSON.parse(Deno.readTextFileSync(join(FIXTURES, "metrics.json")));
const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs sklearn ${b}`);

for (const c of cases) {
  Deno.test(`metrics equal scikit-learn's: ${c.name}`, () => {
    const r = evaluate(c.yTrue, c.yPred, NAMES.slice(0, c.nClasses), c.scores);
    close(r.accuracy, c.accuracy, "accuracy");
    close(r.uar, c.uar, "balanced accuracy");
    assert.deepEqual(r.confusionMatrix, c.confusionMatrix);
    r.perClass.forEach((m, i) => {
      close(m.precision, c.perClass.precision[i], `precision[${i}]`);
      close(m.recall, c.perClass.recall[i], `recall[${i}]`);
      close(m.f1, c.perClass.f1[i], `f1[${i}]`);
      assert.equal(m.support, c.perClass.support[i]);
    });
    for (const avg of ["macro", "weighted"] as const) {
      close(r[avg].precision, c[avg].precision, `${avg} precision`);
      close(r[avg].recall, c[avg].recall, `${avg} recall`);
      close(r[avg].f1, c[avg].f1, `${avg} f1`);
    }
    if (c.top2 !== undefined) close(r.top2Accuracy!, c.top2, "top-2 accuracy");
    assert.equal(classificationReport(r), c.report);
  });
}

Deno.test("formatFixed rounds exact ties to even like Python's format()", () => {
  assert.equal(formatFixed(0.125, 2), "0.12");
  assert.equal(formatFixed(0.375, 2), "0.38");
  assert.equal(formatFixed(0.345, 2), "0.34"); // 0.345 is stored just below .345
  assert.equal(formatFixed(2.5, 0), "2");
  assert.equal(formatFixed(0.1 + 0.2, 2), "0.30");
});

Deno.test("metrics name mismatched inputs", () => {
  assert.throws(() => evaluate([0, 1], [0], ["a", "b"]), /y_true has 2 labels but y_pred has 1/);
  assert.throws(() => evaluate([0, 2], [0, 1], ["a", "b"]), /label 2 at position 1 is not a class index 0\.\.1/);
});
