import { fileURLToPath } from "node:url";
// Written with the bundle by scripts/build-default-model.sh: the figures quoted below come from it.
import builtin from "../../../../models/default.json" with { type: "json" };

/**
 * The bundle that ships with the project (models/default.zip, built by
 * scripts/build-default-model.sh; models/README.md says what it was trained on, how it scores on
 * speakers it never heard, and its licence): what `ser predict` uses without --model.
 */
export const DEFAULT_MODEL_PATH = fileURLToPath(new URL("../../../../models/default.zip", import.meta.url));

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const each = (o: Record<string, { uar: number; classes: number }>) => Object.entries(o).map(([d, c]) => `${d} ${pct(c.uar)} over ${c.classes}`).join(", ");

/** What the CLI says when it falls back to the built-in model. */
export const DEFAULT_MODEL_NOTE =
  `using the built-in model (models/default.zip: BYOL-S + mlp trained on every speaker of ${builtin.datasets.join(", ")}; CC BY-NC-SA 4.0, see models/README.md). ` +
  `The same recipe, one clip at a time, UAR over each corpus's emotions: on a corpus it never heard ${each(builtin.corporaOut)}; on new speakers of known corpora ${each(builtin.speakerFolds)}. Pass --model DIR for your own.`;
