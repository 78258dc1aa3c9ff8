import assert from "node:assert/strict";
import { LabellingError, resolveLabelling } from "./labelling.ts";

Deno.test("labelling: defaults, each field resolved, and errors that name the field", () => {
  assert.deepEqual(resolveLabelling({}), { dataset: "auto", labels: {} });
  const o = resolveLabelling({ dataset: "folders", emotions: "Anger, happy", merge: "calm=neutral", speakerPattern: "/(spk\\d+)_", manifest: { text: "path,emotion,speaker\na.wav,sad,s1\n", source: "m.csv" } });
  assert.equal(o.dataset, "folders");
  assert.deepEqual(o.labels!.keep, ["angry", "happy"]);
  assert.equal(o.labels!.merge!.get("calm"), "neutral");
  assert.equal(o.speakerPattern!.exec("x/spk07_a.wav")![1], "spk07");
  assert.equal(o.manifest!.rows.length, 1);
  const field = (input: Parameters<typeof resolveLabelling>[0]) => {
    try {
      resolveLabelling(input);
    } catch (e) {
      assert.ok(e instanceof LabellingError, String(e));
      return `${e.field}: ${e.message}`;
    }
    return "no error";
  };
  assert.match(field({ dataset: "iemocap" }), /^dataset: must be one of auto, ravdess/);
  assert.match(field({ speakerPattern: "spk\\d+" }), /^speakerPattern: 'spk\\d\+' has no capture group/);
  assert.match(field({ speakerPattern: "(" }), /^speakerPattern: '\(' is not a regular expression/);
  assert.match(field({ emotions: "angry,!!" }), /^emotions: '!!' is not a usable emotion label/);
  assert.match(field({ emotions: " " }), /^emotions: emotion list ' ' is empty/);
  assert.match(field({ manifest: { text: "file,label\n", source: "bad.csv" } }), /^manifest: bad\.csv: the header has no path, emotion, speaker columns/);
});
