/// <reference lib="deno.worker" />
/** A Deno feature worker: core's serveFeatureWorker does the work (tfjs-free, so it starts in milliseconds). */
import { serveFeatureWorker } from "@ser/core";
import { openFileCache } from "./feature-cache.ts";

// globalThis, not self: once node: modules load, Deno hides the worker-only global `self`.
serveFeatureWorker(globalThis as unknown as Parameters<typeof serveFeatureWorker>[0], { openCache: openFileCache });
