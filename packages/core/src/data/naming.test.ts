import assert from "node:assert/strict";
import { detectDataset, parseName } from "./naming.ts";
import type { NameInfo } from "./corpus.ts";
import { parseCremaDemographics } from "./parsers/crema-d.ts";
import { applyLabelPolicy, parseEmotionList, parseMerge } from "./labels.ts";

function info(path: string, dataset?: Parameters<typeof parseName>[1]): NameInfo {
  const r = parseName(path, dataset);
  assert.equal(typeof r, "object", `${path}: ${r}`);
  return r as NameInfo;
}

Deno.test("RAVDESS names: emotion, intensity, statement, actor and gender (odd = male)", () => {
  const a = info("ravdess.zip/Actor_01/03-01-05-02-01-01-01.wav");
  assert.deepEqual(
    [a.dataset, a.speaker, a.gender, a.emotion, a.intensity, a.statement],
    ["ravdess", "ravdess-01", "male", "angry", "strong", "01"],
  );
  const b = info("Actor_12/03-01-08-01-02-02-12.wav");
  assert.deepEqual([b.speaker, b.gender, b.emotion, b.intensity], ["ravdess-12", "female", "surprised", "normal"]);
  assert.equal(info("03-02-02-01-01-01-05.wav").statement, "song-01");
  assert.match(parseName("02-01-05-02-01-01-01.wav") as string, /modality 02 is not audio-only/);
  assert.match(parseName("03-01-09-01-01-01-01.wav") as string, /emotion code 09/);
  assert.match(parseName("03-01-05-01-01-01-00.wav") as string, /actor 00 is not 01–24/);
});

Deno.test("SAVEE names, nested and flat: sa and su are matched before single letters", () => {
  const cases: [string, string, string][] = [
    ["savee/AudioData/DC/sa01.wav", "savee-DC", "sad"],
    ["AudioData/JE/su15.wav", "savee-JE", "surprised"],
    ["AudioData/KL/a03.wav", "savee-KL", "angry"],
    ["AudioData/JK/n30.wav", "savee-JK", "neutral"],
    ["ALL/DC_f02.wav", "savee-DC", "fearful"],
    ["ALL/JK_h07.wav", "savee-JK", "happy"],
    ["ALL/KL_d01.wav", "savee-KL", "disgust"],
  ];
  for (const [path, speaker, emotion] of cases) {
    const r = info(path);
    assert.deepEqual([r.dataset, r.speaker, r.gender, r.emotion], ["savee", speaker, "male", emotion], path);
  }
  assert.equal(detectDataset("other/a01.wav"), undefined, "a bare a01.wav outside a speaker folder is not SAVEE");
  assert.match(parseName("other/a01.wav", "savee") as string, /speaker folder DC, JE, JK or KL, found 'other'/);
});

Deno.test("CREMA-D names: gender is unknown without the demographics CSV, read from it when given", () => {
  const r = info("AudioWAV/1001_DFA_ANG_XX.wav");
  assert.deepEqual([r.dataset, r.speaker, r.gender, r.emotion, r.intensity, r.statement], ["crema-d", "crema-d-1001", "unknown", "angry", "unspecified", "DFA"]);
  const genders = parseCremaDemographics("\uFEFFActorID,Age,Sex,Race,Ethnicity\r\n1001,51,Male,Caucasian,Not Hispanic\r\n1002,21,Female,Caucasian,Not Hispanic\r\n");
  assert.equal((parseName("1002_IEO_SAD_LO.wav", "auto", { "crema-d": genders }) as NameInfo).gender, "female");
  assert.equal((parseName("1001_IEO_FEA_HI.wav", "auto", { "crema-d": genders }) as NameInfo).intensity, "high");
  assert.match(parseName("1001_XYZ_ANG_XX.wav") as string, /sentence code XYZ/);
  assert.match(parseName("1001_DFA_CAL_XX.wav") as string, /emotion code CAL/);
  assert.throws(() => parseCremaDemographics("id,sex\n1,Male"), /ActorID and Sex columns/);
});

Deno.test("TESS names: ps is surprised, folder case does not matter, OA_ means OAF", () => {
  const cases: [string, string, string][] = [
    ["TESS/OAF_angry/OAF_back_angry.wav", "tess-OAF", "angry"],
    ["TESS/YAF_pleasant_surprised/YAF_bar_ps.wav", "tess-YAF", "surprised"],
    ["tess/oaf_Fear/OAF_dog_fear.wav", "tess-OAF", "fearful"],
    ["OAF_neutral/OA_bite_neutral.wav", "tess-OAF", "neutral"],
    ["YAF_sad/YAF_chalk_sad.WAV", "tess-YAF", "sad"],
  ];
  for (const [path, speaker, emotion] of cases) {
    const r = info(path);
    assert.deepEqual([r.dataset, r.speaker, r.gender, r.emotion], ["tess", speaker, "female", emotion], path);
  }
});

Deno.test("auto-detection tells the four schemes apart; an explicit dataset overrides it", () => {
  assert.equal(detectDataset("x/03-01-01-01-01-01-01.wav"), "ravdess");
  assert.equal(detectDataset("x/1001_DFA_ANG_XX.wav"), "crema-d");
  assert.equal(detectDataset("x/OAF_back_angry.wav"), "tess");
  assert.equal(detectDataset("x/DC_a01.wav"), "savee");
  assert.equal(detectDataset("x/recording.wav"), undefined);
  assert.match(parseName("x/recording.wav") as string, /matches no known dataset/);
  assert.match(parseName("x/OAF_back_angry.wav", "ravdess") as string, /RAVDESS's MM-VV-EE-II-SS-RR-AA\.wav/);
});

Deno.test("path-like names are parsed by their last component and never resolved", () => {
  const r = info("evil.zip/../../Actor_03/03-01-04-01-01-01-03.wav");
  assert.equal(r.speaker, "ravdess-03");
});

Deno.test("emotion subsets and merges", () => {
  assert.deepEqual(parseEmotionList("angry, Happy,neutral,sad"), ["angry", "happy", "neutral", "sad"]);
  // Synonyms map onto the eight; other labels are kept as they are (a corpus's own classes).
  assert.deepEqual(parseEmotionList("Anger,joy,Boredom"), ["angry", "happy", "boredom"]);
  assert.throws(() => parseEmotionList("angry,:-("), /':-\(' is not a usable emotion label/);
  const merge = parseMerge("calm=neutral");
  assert.equal(applyLabelPolicy("calm", { merge, keep: ["neutral", "sad"] }), "neutral");
  assert.equal(applyLabelPolicy("angry", { merge, keep: ["neutral", "sad"] }), null);
  assert.throws(() => parseMerge("calm->neutral"), /must look like calm=neutral/);
});

Deno.test("ravdessName writes names parseName reads back as the same emotion and speaker (own recordings use actors 25-99)", async () => {
  const { ravdessName } = await import("./parsers/ravdess.ts");
  const { EMOTIONS } = await import("./labels.ts");
  for (const emotion of ["neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"] as const) {
    const name = ravdessName({ emotion, actor: 25, statement: 2, repetition: 3 });
    const info = parseName(`recorded/Actor_25/${name}`, "auto");
    assert.ok(typeof info !== "string", `${name}: ${info}`);
    assert.equal(info.dataset, "ravdess");
    assert.equal(info.emotion, emotion);
    assert.equal(info.speaker, "ravdess-25");
    assert.equal(info.gender, "male");
    assert.ok(EMOTIONS.includes(info.emotion));
  }
  assert.equal(ravdessName({ emotion: "sad", actor: 26, statement: 1, repetition: 1, strong: true }), "03-01-04-02-01-01-26.wav");
  assert.throws(() => ravdessName({ emotion: "sad", actor: 100, statement: 1, repetition: 1 }), /actor must be 1–99, got 100/);
  assert.throws(() => ravdessName({ emotion: "surprised" as never, actor: 0, statement: 1, repetition: 1 }), /actor must be 1–99, got 0/);
});

Deno.test("EmoDB names: speaker, gender from the corpus table, the six shared emotions and boredom as its own class", () => {
  const cases: [string, string, string, string][] = [
    ["emodb/wav/03a01Wa.wav", "emodb-03", "male", "angry"],
    ["wav/08b02Tb.wav", "emodb-08", "female", "sad"],
    ["16a05Ac.wav", "emodb-16", "female", "fearful"],
    ["11b10Nd.wav", "emodb-11", "male", "neutral"],
  ];
  for (const [path, speaker, gender, emotion] of cases) {
    assert.equal(detectDataset(path), "emodb", path);
    const info = parseName(path);
    assert.ok(typeof info !== "string", `${path}: ${info}`);
    assert.deepEqual([info.dataset, info.speaker, info.gender, info.emotion], ["emodb", speaker, gender, emotion]);
  }
  assert.equal((parseName("03a04Lc.wav") as { emotion: string }).emotion, "boredom");
  assert.match(parseName("05a01Wa.wav", "emodb") as string, /speaker 05 is not one of the corpus's ten/);
  assert.equal(detectDataset("03a01Xa.wav"), undefined);
});

Deno.test("folder per label: the nearest folder naming an emotion (any case, synonyms), the speaker from a pattern's first group, else unknown", async () => {
  const { parseFolderLabel } = await import("./naming.ts");
  const withSpeaker = parseName("corpus\\Anger\\session 2\\spk07_take1.wav", "auto", undefined, /[\\/](spk\d+)_/);
  assert.deepEqual(withSpeaker, { dataset: "folders", speaker: "folders-spk07", gender: "unknown", emotion: "angry", emotionCode: "Anger" });
  assert.deepEqual(parseName("data/happy/x.wav"), { dataset: "folders", speaker: "folders-unknown", gender: "unknown", emotion: "happy", emotionCode: "happy", speakerKnown: false });
  assert.match(parseFolderLabel("data/happy/x.wav", /(spk\d+)/) as string, /speaker pattern \/\(spk\\d\+\)\/ does not match/);
  assert.match(parseName("data/boredom/x.wav") as string, /no folder above it names an emotion/);
  // Asked for by name, the folders layout takes the file's own folder as its label, whatever it says.
  assert.equal((parseName("data/Boredom/x.wav", "folders") as { emotion: string }).emotion, "boredom");
  assert.equal((parseName("data/frustrated/x.wav", "folders") as { emotion: string }).emotion, "frustrated");
  // …but a folder above that names one of the eight wins over a session folder below it.
  assert.equal((parseName("data/happy/take 2/x.wav", "folders") as { emotion: string }).emotion, "happy");
  // A built-in scheme wins over the folder: RAVDESS names under happy/ keep their own label.
  assert.equal((parseName("happy/03-01-05-01-01-01-01.wav") as { emotion: string }).emotion, "angry");
});

Deno.test("nEMO names: speaker, the six emotions, any audio extension; genders only from data.tsv", async () => {
  const { parseNemoMetadata } = await import("./parsers/nemo.ts");
  const cases: [string, string, string][] = [
    ["nemo/samples/EB0_anger_1.flac", "nemo-EB0", "angry"],
    ["KS0_happiness_13.wav", "nemo-KS0", "happy"],
    ["WR0_surprised_4.flac", "nemo-WR0", "surprised"],
    ["MP0_sadness_22.FLAC", "nemo-MP0", "sad"],
    ["IC0_fear_7.wav", "nemo-IC0", "fearful"],
    ["TP0_neutral_1.wav", "nemo-TP0", "neutral"],
  ];
  for (const [path, speaker, emotion] of cases) {
    assert.equal(detectDataset(path), "nemo", path);
    const info = parseName(path);
    assert.ok(typeof info !== "string", `${path}: ${info}`);
    assert.deepEqual([info.dataset, info.speaker, info.gender, info.emotion], ["nemo", speaker, "unknown", emotion]);
  }
  const genders = parseNemoMetadata("file_id\temotion\traw_text\tnormalized_text\tspeaker_id\tgender\tage\r\nEB0_anger_1.flac\tanger\tA.\ta\tEB0\tfemale\t27\nKS0_anger_1.flac\tanger\tB.\tb\tKS0\tmale\t23\n");
  assert.equal((parseName("EB0_anger_1.flac", "auto", { nemo: genders }) as { gender: string }).gender, "female");
  assert.equal((parseName("KS0_fear_4.flac", "auto", { nemo: genders }) as { gender: string }).gender, "male");
  assert.throws(() => parseNemoMetadata("file_id\tspeaker_id\tgender\nx.flac\tEB0\tf\n"), /line 2: gender 'f' is neither male nor female/);
  assert.throws(() => parseNemoMetadata("file_id\tspeaker\tsex\n"), /needs speaker_id and gender columns/);
  // An emotion word nEMO does not use is not nEMO (and says why when the scheme is asked for).
  assert.equal(detectDataset("EB0_boredom_1.flac"), undefined);
  assert.match(parseName("EB0_boredom_1.flac", "nemo") as string, /nEMO emotion 'boredom' is not one of/);
});

Deno.test("auto with a speaker pattern: a file the pattern finds a speaker in takes its folder as its label, any name; built-in names still win", () => {
  const re = /Actor_(\d+)_take/;
  assert.deepEqual(parseName("recorded/frustrated/Actor_25_take1.wav", "auto", {}, re), { dataset: "folders", speaker: "folders-25", gender: "unknown", emotion: "frustrated", emotionCode: "frustrated" });
  assert.match(parseName("recorded/frustrated/other.wav", "auto", {}, re) as string, /no folder above it names an emotion/);
  assert.equal((parseName("recorded/Actor_25/03-01-05-01-01-01-25.wav", "auto", {}, re) as { emotion: string }).emotion, "angry");
});
