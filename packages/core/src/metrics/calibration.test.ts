import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURES } from "../../test/helpers.ts";
import { applyTemperature, calibrationSummary, fitTemperature, rowEntropy } from "./calibration.ts";

const { cases } = JSON.parse(Deno.readTextFileSync(join(FIXTURES, "calibration.json")));
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs reference ${b}`);

for (const c of cases) {
  Deno.test(`calibration equals the numpy/scipy reference: ${c.name}`, () => {
    const k = c.nClasses;
    const s = calibrationSummary(c.probs, c.y, k);
    // Summaries are sums of float64 terms in another order: 1e-12.
    close(s.ece, c.summary.ece, 1e-12, "ECE");
    close(s.mce, c.summary.mce, 1e-12, "MCE");
    close(s.nll, c.summary.nll, 1e-12, "NLL");
    close(s.brier, c.summary.brier, 1e-12, "Brier");
    s.bins.forEach((b, m) => {
      assert.equal(b.count, c.summary.bins[m].count, `bin ${m} count`);
      close(b.confidence, c.summary.bins[m].confidence, 1e-12, `bin ${m} confidence`);
      close(b.accuracy, c.summary.bins[m].accuracy, 1e-12, `bin ${m} accuracy`);
    });
    // Two 1-D optimisers on a flat-bottomed NLL: T within 1e-4 relative, the calibrated ECE within 1e-4.
    const t = fitTemperature(c.probs, c.y, k);
    close(t / c.temperature, 1, 1e-4, "temperature");
    const after = calibrationSummary(applyTemperature(c.probs, k, t), c.y, k);
    close(after.ece, c.calibrated.ece, 1e-4, "ECE after temperature scaling");
    assert.ok(after.nll <= s.nll + 1e-9, "temperature scaling never raises the NLL it minimises");
    rowEntropy(c.probs, k).forEach((h, i) => close(h, c.entropy[i], 1e-9, `entropy[${i}]`));
  });
}

Deno.test("calibration: a perfectly calibrated toy set has ECE 0; shape errors name the sizes", () => {
  // Confidence 0.75 in every row, 3 of 4 right.
  const probs = [0.75, 0.25, 0.75, 0.25, 0.75, 0.25, 0.75, 0.25];
  const s = calibrationSummary(probs, [0, 0, 0, 1], 2);
  assert.ok(Math.abs(s.ece) < 1e-15);
  assert.equal(s.bins.find((b) => b.count > 0)!.upper.toFixed(4), (12 / 15).toFixed(4));
  assert.throws(() => calibrationSummary([0.5, 0.5], [0, 1], 2), /2 rows of 2 probabilities, got 2 values/);
  // T = 1 is the identity.
  applyTemperature(probs, 2, 1).forEach((p, i) => close(p, probs[i]!, 1e-7, `p[${i}]`));
});
