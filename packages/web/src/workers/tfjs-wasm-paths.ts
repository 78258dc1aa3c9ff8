/**
 * URLs of tfjs-backend-wasm's binaries as Vite emits them (hashed assets), for core's
 * selectBackend: the page serves them itself, as it does everything else, so no request leaves
 * the origin. Which one loads (SIMD, threaded SIMD, plain) is tfjs's choice from the browser's
 * features.
 */
import plain from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url";
import simd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url";
import threadedSimd from "@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url";

export const TFJS_WASM_PATHS: Record<string, string> = {
  "tfjs-backend-wasm.wasm": plain,
  "tfjs-backend-wasm-simd.wasm": simd,
  "tfjs-backend-wasm-threaded-simd.wasm": threadedSimd,
};
