/**
 * Builds small SAVEE, CREMA-D and TESS look-alikes in their real folder layouts, file names and
 * sample rates, from real synthetic speech (espeak-ng, resampled by sox). Nothing generated is
 * committed: tests call this and get a temporary folder.
 *   SAVEE   44.1 kHz  AudioData/<speaker>/<code><nn>.wav  (+ the flat "ALL/DC_a01.wav" re-pack)
 *   CREMA-D 16 kHz    AudioWAV/<actor>_<sentence>_<EMO>_<LVL>.wav + VideoDemographics.csv
 *   TESS    24414 Hz  <SPK>_<emotion>/<SPK>_<word>_<emotion>.wav, inconsistent folder case
 */
import { join } from "node:path";

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (out.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
}

/** Speaks `text` into `path` at `rateHz`, 16-bit mono. */
async function speak(text: string, path: string, rateHz: number, voice: string): Promise<void> {
  const tmp = `${path}.espeak.wav`;
  await run("espeak-ng", ["-v", voice, "-s", "170", "-w", tmp, text]);
  // -R: sox's dither is seeded from the clock otherwise; the fixtures must not depend on it, and
  // every clip speaks its own text, so none comes out byte for byte the same as another (the
  // readers rightly skip such a clip as a duplicate; identical texts once made CI see 4 of 5).
  await run("sox", ["-R", tmp, "-r", String(rateHz), "-b", "16", "-c", "1", path]);
  await Deno.remove(tmp);
}

async function put(root: string, rel: string, text: string, rateHz: number, voice = "en"): Promise<string> {
  const path = join(root, rel);
  await Deno.mkdir(join(path, ".."), { recursive: true });
  await speak(text, path, rateHz, voice);
  return path;
}

export interface GeneratedDatasets {
  root: string;
  savee: string;
  saveeFlat: string;
  cremaD: string;
  tess: string;
  /** Expected usable counts per dataset. */
  expected: { savee: number; saveeFlat: number; cremaD: number; tess: number };
}

let cached: Promise<GeneratedDatasets> | undefined;

export function generatedDatasets(): Promise<GeneratedDatasets> {
  cached ??= build();
  return cached;
}

async function build(): Promise<GeneratedDatasets> {
  const root = await Deno.makeTempDir({ prefix: "ser-datasets-" });
  const savee = join(root, "savee");
  const saveeFlat = join(root, "savee-flat");
  const cremaD = join(root, "crema-d");
  const tess = join(root, "tess");
  const jobs: Promise<string>[] = [];
  // SAVEE: 4 male speakers; sa/su must not be read as "s"-something.
  for (const spk of ["DC", "JE", "JK", "KL"]) {
    for (const code of ["a01", "n01", "sa01", "su02"]) {
      jobs.push(put(savee, `AudioData/${spk}/${code}.wav`, `She had your dark suit ${spk} ${code}`, 44100, "en-gb"));
    }
  }
  for (const name of ["DC_h03", "JE_f01", "KL_d02"]) {
    jobs.push(put(saveeFlat, `ALL/${name}.wav`, `Flat layout ${name}`, 44100, "en-gb"));
  }
  // CREMA-D: two actors of different sex, told apart only by the demographics CSV.
  // Each speaks its sentence code's real sentence.
  for (const [file, sentence] of <[string, string][]> [
    ["1001_DFA_ANG_XX", "Don't forget a jacket"], ["1001_IEO_HAP_HI", "It's eleven o'clock"],
    ["1002_TIE_SAD_LO", "That is exactly what happened"], ["1002_ITS_NEU_XX", "I think I've seen this before"],
    ["1002_WSI_FEA_MD", "We'll stop in a couple of minutes"],
  ]) {
    jobs.push(put(cremaD, `AudioWAV/${file}.wav`, sentence, 16000, "en-us"));
  }
  // TESS: folder case varies between copies; the file name decides.
  for (const [folder, file] of <[string, string][]> [
    ["OAF_angry", "OAF_back_angry"], ["OAF_Fear", "OAF_dog_fear"], ["OAF_Pleasant_surprise", "OAF_bar_ps"],
    ["YAF_sad", "YAF_bite_sad"], ["YAF_pleasant_surprised", "YAF_chair_ps"], ["YAF_neutral", "YAF_dime_neutral"],
  ]) {
    jobs.push(put(tess, `TESS Toronto emotional speech set data/${folder}/${file}.wav`, `Say the word ${file.split("_")[1]}`, 24414, "en-us+f3"));
  }
  await Promise.all(jobs);
  await Deno.writeTextFile(join(cremaD, "VideoDemographics.csv"), "ActorID,Age,Sex,Race,Ethnicity\n1001,51,Male,Caucasian,Not Hispanic\n1002,21,Female,Caucasian,Not Hispanic\n");
  return { root, savee, saveeFlat, cremaD, tess, expected: { savee: 16, saveeFlat: 3, cremaD: 5, tess: 6 } };
}
