import assert from "node:assert/strict";
import { liveWindows } from "./live-defaults.ts";

Deno.test("live smoothing is set in seconds: the windows and updates follow the hop, at least one each", () => {
  assert.deepEqual(liveWindows(0.5), { smoothWindows: 6, holdUpdates: 2 }); // the page's cadence
  assert.deepEqual(liveWindows(1), { smoothWindows: 3, holdUpdates: 1 });
  assert.deepEqual(liveWindows(2.5), { smoothWindows: 1, holdUpdates: 1 }); // ser predict --timeline's default hop
  assert.deepEqual(liveWindows(10), { smoothWindows: 1, holdUpdates: 1 });
  assert.deepEqual(liveWindows(0.25), { smoothWindows: 12, holdUpdates: 4 });
});

Deno.test("not sure below an eighth of the way from chance to certainty: twice chance among nine, scaled with the choice", async () => {
  const { describeNotSure, notSureLevel } = await import("./live-defaults.ts");
  const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  near(notSureLevel(9), 2 / 9);
  near(notSureLevel(4), 0.25 + 0.75 / 8);
  near(notSureLevel(2), 0.5 + 0.5 / 8);
  near(notSureLevel(1), 1);
  for (let k = 2; k < 12; k++) assert.ok(notSureLevel(k) > 1 / k && notSureLevel(k) < notSureLevel(k - 1), `${k} choices`);
  assert.equal(describeNotSure(9), "22 % among 9");
  assert.equal(describeNotSure(4), "34 % among 4");
});

Deno.test("the enrolment discount: the default when none is given, a given one kept, anything below 1 or not finite refused", async () => {
  const { enrolmentDiscount, LIVE_DEFAULTS } = await import("./live-defaults.ts");
  assert.equal(enrolmentDiscount(), LIVE_DEFAULTS.enrolmentDiscount);
  assert.equal(enrolmentDiscount(1), 1);
  assert.equal(enrolmentDiscount(2.5), 2.5);
  for (const bad of [0.99, 0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => enrolmentDiscount(bad), /enrolmentDiscount must be a number ≥ 1/);
});
