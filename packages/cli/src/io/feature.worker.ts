/// <reference lib="deno.worker" />
/** A Deno feature worker: core's serveFeatureWorker does the work (tfjs-free, so it starts in milliseconds). */
import { serveFeatureWorker } from "@ser/core";
import { registerCliFrontendAssets } from "./speech-embedding-assets.ts";
import { openFileCache } from "./feature-cache.ts";

// onnxruntime-web (speech_embedding) resolves its own file URL against `location.origin`, which
// is the string "null" in a Deno worker (file: modules have an opaque origin) and makes new URL()
// throw (lib/wasm/wasm-utils-import.ts); the main thread has no location at all, which works.
// Give the worker the main thread's: no location.
Object.defineProperty(globalThis, "location", { value: undefined, configurable: true });
registerCliFrontendAssets();
// globalThis, not self: once node: modules load, Deno hides the worker-only global `self`.
serveFeatureWorker(globalThis as unknown as Parameters<typeof serveFeatureWorker>[0], { openCache: openFileCache });
