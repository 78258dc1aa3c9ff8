/** A feature worker of the page's pool: core's serveFeatureWorker does the work (tfjs-free, so it starts fast). */
import { serveFeatureWorker } from "@ser/core";

serveFeatureWorker(self as unknown as Parameters<typeof serveFeatureWorker>[0]);
