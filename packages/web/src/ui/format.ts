/** A share as a percentage with one decimal: 0.5123 -> "51.2%". */
export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
