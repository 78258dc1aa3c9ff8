import * as ort from "onnxruntime-web/wasm";
export { ort };
