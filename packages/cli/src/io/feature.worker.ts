/// <reference lib="deno.worker" />
/** A Deno feature worker: core's serveFeatureWorker does the work (tfjs-free, so it starts in milliseconds). */
import { serveFeatureWorker } from "@ser/core";

serveFeatureWorker(self);
