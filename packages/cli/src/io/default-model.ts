import { fileURLToPath } from "node:url";

/**
 * The bundle that ships with the project (models/default.zip, built by
 * scripts/build-default-model.sh; models/README.md says what it was trained on, how it scores on
 * speakers it never heard, and its licence): what `ser predict` uses without --model.
 */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL("../../../../models/default.zip", import.meta.url));

/** What the CLI says when it falls back to the built-in model. */
export const DEFAULT_MODEL_NOTE =
  "using the built-in model (models/default.zip: BYOL-S + mlp trained on RAVDESS and EmoDB speakers; one clip of an unseen RAVDESS speaker: 50.6 % UAR; CC BY-NC-SA 4.0, see models/README.md). Pass --model DIR for your own.";
