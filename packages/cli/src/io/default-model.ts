import { fileURLToPath } from "node:url";
// Written with the bundle by scripts/build-default-model.sh: the figures quoted below come from it.
import builtin from "../../../../models/default.json" with { type: "json" };

/**
 * The bundle that ships with the project (models/default.zip, built by
 * scripts/build-default-model.sh; models/README.md says what it was trained on, how it scores on
 * speakers it never heard, and its licence): what `ser predict` uses without --model.
 */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL("../../../../models/default.zip", import.meta.url));

const ravdess = builtin.oneClipByCorpus.ravdess;

/** What the CLI says when it falls back to the built-in model. */
export const DEFAULT_MODEL_NOTE =
  `using the built-in model (models/default.zip: BYOL-S + mlp trained on RAVDESS and EmoDB speakers; one clip of an unseen RAVDESS speaker: ${(100 * ravdess.uar).toFixed(1)} % UAR over ${ravdess.classes} emotions; CC BY-NC-SA 4.0, see models/README.md). Pass --model DIR for your own.`;
