import assert from "node:assert/strict";
import { createIngestor } from "./ingest.ts";
import { encodeWav } from "../audio/wav-encode.ts";

Deno.test("ingest: a built-in corpus's recording in a second format (CREMA-D's AudioMP3/ beside AudioWAV/) is read once; compressed names parse like WAV names", async () => {
  const a = encodeWav(new Float32Array(1600).fill(0.1), 16000);
  const b = encodeWav(new Float32Array(1600).fill(0.2), 16000);
  const ingest = createIngestor();
  // The "MP3" here holds WAV bytes: the format is recognised from the bytes, never the name.
  // AudioMP3/ sorts (and is read) before AudioWAV/: the lossless copy is kept all the same.
  await ingest.accept("crema/AudioMP3/1001_DFA_ANG_XX.mp3", b);
  await ingest.accept("crema/AudioMP3/1002_DFA_SAD_XX.MP3", b.slice());
  await ingest.accept("crema/AudioWAV/1001_DFA_ANG_XX.wav", a);
  const { items, skipped } = ingest.finish();
  assert.deepEqual(items.map((i) => [i.path, i.speaker, i.emotion]), [["crema/AudioWAV/1001_DFA_ANG_XX.wav", "crema-d-1001", "angry"]]);
  assert.deepEqual(skipped.map((s) => s.reason), [
    "another encoding of crema/AudioWAV/1001_DFA_ANG_XX.wav (the same recording of crema-d; lossless), read once",
    "duplicate: same bytes as crema/AudioMP3/1001_DFA_ANG_XX.mp3",
  ]);
  // A copy that fails to decode never costs the recording: the other encoding is kept.
  const again = createIngestor();
  await again.accept("crema/AudioWAV/1003_DFA_HAP_XX.wav", new TextEncoder().encode("RIFF....WAVEjunk that is no wav"));
  await again.accept("crema/AudioMP3/1003_DFA_HAP_XX.mp3", a.slice());
  assert.deepEqual(again.finish().items.map((i) => i.path), ["crema/AudioMP3/1003_DFA_HAP_XX.mp3"]);
});

Deno.test("nEMO's data.tsv gives its speakers' genders, read before or after their recordings; a bad table is skipped with the line", async () => {
  const tsv = new TextEncoder().encode("file_id\temotion\traw_text\tnormalized_text\tspeaker_id\tgender\tage\nEB0_anger_1.flac\tanger\tx\tx\tEB0\tfemale\t27\nKS0_fear_1.flac\tfear\tx\tx\tKS0\tmale\t23\n");
  for (const tableFirst of [true, false]) {
    const ingest = createIngestor();
    if (tableFirst) assert.equal((await ingest.accept("nemo/data.tsv", tsv)).kind, "meta");
    await ingest.accept("nemo/samples/EB0_anger_1.wav", encodeWav(new Float32Array(1600).fill(0.1), 16000));
    await ingest.accept("nemo/samples/KS0_fear_1.wav", encodeWav(new Float32Array(1600).fill(0.2), 16000));
    await ingest.accept("nemo/samples/MK0_neutral_1.wav", encodeWav(new Float32Array(1600).fill(0.3), 16000));
    if (!tableFirst) assert.equal((await ingest.accept("nemo/data.tsv", tsv)).kind, "meta");
    const { items } = ingest.finish();
    assert.deepEqual(items.map((i) => [i.speaker, i.gender, i.emotion]), [["nemo-EB0", "female", "angry"], ["nemo-KS0", "male", "fearful"], ["nemo-MK0", "unknown", "neutral"]]);
  }
  const bad = createIngestor();
  const r = await bad.accept("nemo/data.tsv", new TextEncoder().encode("file_id\tspeaker_id\tgender\nx.flac\tEB0\t?\n"));
  assert.equal(r.kind, "skip");
  assert.match((r as { skipped: { reason: string } }).skipped.reason, /nEMO's speaker table could not be read: line 2: gender '\?'/);
});
