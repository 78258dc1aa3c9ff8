/**
 * The page's live listening, shared by the Live section (ui/live.ts) and the model worker, which
 * tells core's live session how far apart the windows are.
 */
/** Seconds between live windows: the page classifies the latest clip-length this often. */
export const LIVE_HOP_S = 0.5;
