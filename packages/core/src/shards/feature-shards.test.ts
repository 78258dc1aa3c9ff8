import assert from "node:assert/strict";
import { join } from "node:path";
import { RAVDESS } from "../../test/helpers.ts";
import type { LabelPolicy } from "../data/labels.ts";
import { createFrontend, DEFAULT_FRONTEND, type FrontendConfig } from "../features/frontend.ts";
import { loadCorpus, type ReadEvent } from "../ingest/load-corpus.ts";
import { createShardWriter, loadShardCorpus, openShardSet, type ShardSource } from "./feature-shards.ts";
import { type ShardIndex, shardFileName, shardOfPath } from "./shard-index.ts";

const config: FrontendConfig = { ...DEFAULT_FRONTEND, kind: "stats", durationS: 1, normalization: "none" };
const frontend = createFrontend(config);
const names = [...Deno.readDirSync(join(RAVDESS, "Actor_03"))].map((e) => e.name).sort().slice(0, 8);
// The corpus as files arrive: eight recordings, a note that is not audio, and a byte-identical
// copy of the first recording under another name (whichever shard it lands in, one reading keeps
// only the first).
const inputs: { path: string; bytes: Uint8Array }[] = [
  ...names.map((n) => ({ path: `ravdess/Actor_03/${n}`, bytes: Deno.readFileSync(join(RAVDESS, "Actor_03", n)) })),
  { path: "ravdess/notes.txt", bytes: new TextEncoder().encode("not audio") },
  { path: "ravdess/Actor_03/copy/" + names[0], bytes: Deno.readFileSync(join(RAVDESS, "Actor_03", names[0]!)) },
];

/** A reader over `inputs`: audio of other shards is 'elsewhere', as the CLI's shard reader does. */
const reader = (shard?: ShardIndex) => async (emit: (e: ReadEvent) => Promise<void>) => {
  for (const f of inputs) {
    const audio = f.path.endsWith(".wav");
    if (shard && audio && shardOfPath(f.path, shard.count) !== shard.index) await emit({ kind: "elsewhere", path: f.path });
    else await emit({ kind: "file", ...f });
  }
};

async function writeShards(count: number, labels: LabelPolicy = {}): Promise<ShardSource[]> {
  const out: ShardSource[] = [];
  for (let index = 0; index < count; index++) {
    const chunks: Uint8Array[] = [];
    const writer = createShardWriter({ write: (b) => chunks.push(b), shard: { index, count }, frontend: config, size: frontend.size, views: [], inputs: ["ravdess"], labelling: { labels, manifest: false }, rowGroupRows: 2 });
    let seen = 0;
    const built = await loadCorpus(async (emit) => await reader({ index, count })((e) => (seen++, emit(e))), { frontend, keepWaves: false, sink: (item, order) => writer.add(item, order) });
    assert.equal(built.items.length, 0, "a sink keeps no items");
    writer.finish({ skipped: built.summary.skipped, filesSeen: seen });
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) bytes.set(c, (at += c.length) - c.length);
    out.push({ name: shardFileName({ index, count }), file: bytes.buffer });
  }
  return out;
}

Deno.test("feature shards: 1, 2 and 3 shards read back as the corpus one reading builds, bit for bit", async () => {
  const whole = await loadCorpus(reader(), { frontend, keepWaves: false });
  assert.equal(whole.items.length, 8);
  assert.ok(whole.summary.skipped.some((s) => s.reason.startsWith("duplicate")));
  // 12 shards for 9 recordings: some are empty files, still complete Parquet files.
  for (const count of [1, 2, 3, 12]) {
    const set = await openShardSet(await writeShards(count), "shards/");
    const read = await loadShardCorpus(set, frontend, []);
    assert.deepEqual(read.items.map((i) => i.path), whole.items.map((i) => i.path), `${count} shards: order`);
    for (let k = 0; k < whole.items.length; k++) {
      const { features: a, ...am } = read.items[k]!;
      const { features: b, ...bm } = whole.items[k]!;
      assert.deepEqual(am, bm, `${count} shards: ${bm.path}'s metadata`);
      assert.deepEqual(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), new Uint8Array(b.buffer, b.byteOffset, b.byteLength), `${count} shards: ${bm.path}'s features`);
    }
    assert.deepEqual(read.summary.skipped.map((s) => s.reason).sort(), whole.summary.skipped.map((s) => s.reason).sort(), `${count} shards: skips`);
  }
});

Deno.test("feature shards: a set that is not whole is refused, naming the shard", async () => {
  const three = await writeShards(3);
  await assert.rejects(openShardSet([three[0]!, three[2]!], "out/"), /out\/ lacks 1 of its 3 shards \(shard-00001-of-00003\.parquet\)/);
  await assert.rejects(openShardSet([three[0]!, three[1]!, { ...three[1]!, name: "shard-00001-of-00003.parquet" }, three[2]!], "out/"), /shard 1 of 3 is in out\/ twice/);
  const two = await writeShards(2);
  await assert.rejects(openShardSet([...three, two[0]!], "out/"), /one of 2 shards but shard-00000-of-00003\.parquet one of 3/);
  await assert.rejects(openShardSet([{ name: "shard-00000-of-00001.parquet", file: new Uint8Array(64).buffer }], "out/"), /shard-00000-of-00001\.parquet is not a readable Parquet file/);
  await assert.rejects(openShardSet([{ ...three[0]!, name: "shard-00002-of-00003.parquet" }], "out/"), /holds shard 0 of 3, which is named shard-00000-of-00003\.parquet/);
  await assert.rejects(openShardSet([], "out/"), /out\/ holds no feature shards/);
  // Shards read with other --emotions (the first shard's labelling would otherwise stand for all).
  const angry = await writeShards(3, { keep: ["angry"] });
  await assert.rejects(openShardSet([three[0]!, angry[1]!, three[2]!], "out/"), /shard-00001-of-00003\.parquet was labelled otherwise than shard-00000-of-00003\.parquet \(\{"keep":\["angry"\],"manifest":false\} vs \{"manifest":false\}\)/);
});

Deno.test("feature shards: training that asks for other features or views is refused, saying what differs", async () => {
  const set = await openShardSet(await writeShards(1), "out/");
  await assert.rejects(loadShardCorpus(set, createFrontend({ ...config, durationS: 2 }), []), /durationS: 1 in the shards, 2 asked/);
  await assert.rejects(loadShardCorpus(set, frontend, ["room"]), /asks for the room view, which these shards do not hold/);
  // Normalisation is applied after reading, so it may differ.
  const other = await loadShardCorpus(set, createFrontend({ ...config, normalization: "speaker" }), []);
  assert.equal(other.items.length, 8);
});

Deno.test("feature shards: --emotions and --merge act on the rows as on the audio, before duplicates are counted", async () => {
  const set = await openShardSet(await writeShards(2), "out/");
  const emotions = (items: readonly { emotion: string }[]) => items.map((i) => i.emotion).join(",");
  for (const labels of [{ keep: ["calm"] }, { keep: ["calm"], merge: new Map([["neutral", "calm"]]) }]) {
    const fromShards = await loadShardCorpus(set, frontend, [], labels);
    const fromAudio = await loadCorpus(reader(), { frontend, keepWaves: false, ingest: { labels } });
    assert.deepEqual(fromShards.items.map((i) => [i.path, i.emotion]), fromAudio.items.map((i) => [i.path, i.emotion]));
    assert.equal(fromShards.items.length, labels.merge ? 8 : 4, emotions(fromShards.items));
  }
});
