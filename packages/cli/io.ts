/**
 * The CLI's disk side as a public module (`@ser/cli/io`), for benchmarks and scripts that run
 * core on files the way the commands do: corpora from folders and zips (with the Deno feature
 * pool and the feature cache), inputs as the commands read them, and model bundles.
 */
export { loadCorpus, type LoadedCorpus } from "./src/io/corpus.ts";
export { readInputs, type InputEvent } from "./src/io/read-inputs.ts";
export { readBundle } from "./src/io/bundle-io.ts";
export { defaultCacheDir } from "./src/io/feature-cache.ts";
export { defaultWorkerCount } from "./src/io/feature-pool.ts";
