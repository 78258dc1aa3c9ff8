// The page's wiring: three workers, the views' shared state, and each view's setup. Views talk
// to each other only through ui/state.ts.
import { wrap } from "comlink";
import type { DataApi } from "./workers/data.worker.ts";
import type { ModelApi } from "./workers/model.worker.ts";
import type { TrainerApi } from "./workers/trainer.worker.ts";
import { setupBackend } from "./ui/backend.ts";
import { setupData } from "./ui/data.ts";
import { setupExplore } from "./ui/explore.ts";
import { setupVoiceMap } from "./ui/voice-map.ts";
import { setupLive } from "./ui/live.ts";
import { setupModel } from "./ui/model.ts";
import { setupPredict } from "./ui/predict.ts";
import { setupRecord } from "./ui/record.ts";
import { setupSteps } from "./ui/steps.ts";
import { createUiState } from "./ui/state.ts";
import { setupTrain } from "./ui/train.ts";
import { setupTune } from "./ui/tune.ts";

const model = wrap<ModelApi>(new Worker(new URL("./workers/model.worker.ts", import.meta.url), { type: "module" }));
const data = wrap<DataApi>(new Worker(new URL("./workers/data.worker.ts", import.meta.url), { type: "module" }));
const trainer = wrap<TrainerApi>(new Worker(new URL("./workers/trainer.worker.ts", import.meta.url), { type: "module" }));
const ui = createUiState();

setupSteps(ui);

setupExplore(ui, data);
setupData(ui, data);
setupTrain(ui, trainer, data);
setupTune(ui, trainer);
setupVoiceMap(ui, trainer, data);
void trainer.init();
setupBackend(model);
setupModel(ui, model);
setupPredict(ui, model);
setupLive(ui, model);
setupRecord(ui);
