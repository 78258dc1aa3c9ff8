import assert from "node:assert/strict";
import { parseShard, parseShardFileName, shardFileName, shardFromEnv, shardOfPath } from "./shard-index.ts";

Deno.test("shard index: --shard I/N, and the errors that name it", () => {
  assert.deepEqual(parseShard("2/3"), { index: 2, count: 3 });
  assert.throws(() => parseShard("3/3"), /--shard: the shard index must be an integer from 0 to 2 \(shards are numbered from 0\), got 3/);
  assert.throws(() => parseShard("1"), /--shard must be I\/N/);
  assert.throws(() => parseShard("a/2"), /index must be an integer/);
  assert.throws(() => parseShard("0/0"), /count must be an integer from 1/);
});

Deno.test("shard index: from Slurm's and Kubernetes' environment", () => {
  assert.deepEqual(shardFromEnv({ SLURM_ARRAY_TASK_ID: "4", SLURM_ARRAY_TASK_COUNT: "5" }), { index: 4, count: 5 });
  // --array=1-5 numbers tasks from 1: the shard is the task's place in the array.
  assert.deepEqual(shardFromEnv({ SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "5", SLURM_ARRAY_TASK_MIN: "1" }), { index: 0, count: 5 });
  assert.deepEqual(shardFromEnv({ JOB_COMPLETION_INDEX: "2" }, 3), { index: 2, count: 3 });
  assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: "2" }), /give the Job's completions as --shard-count N/);
  assert.throws(() => shardFromEnv({ JOB_COMPLETION_INDEX: "3" }, 3), /JOB_COMPLETION_INDEX: the shard index must be an integer from 0 to 2/);
  assert.equal(shardFromEnv({}), undefined);
});

Deno.test("shard index: files spread over the shards by path, the same on every run", () => {
  const counts = [0, 0, 0];
  for (let i = 0; i < 3000; i++) counts[shardOfPath(`corpus/speaker_${i % 50}/clip_${i}.wav`, 3)]!++;
  for (const c of counts) assert.ok(c > 900 && c < 1100, `uneven shards: ${counts}`);
  assert.equal(shardOfPath("a/b.wav", 7), shardOfPath("a/b.wav", 7));
  assert.equal(shardFileName({ index: 1, count: 12 }), "shard-00001-of-00012.parquet");
  assert.deepEqual(parseShardFileName("shard-00001-of-00012.parquet"), { index: 1, count: 12 });
  assert.equal(parseShardFileName("shard-1-of-12.parquet"), undefined);
});
