import { defineConfig } from "vite";

// Relative asset paths: the built folder serves from any static host, at any path.
export default defineConfig({
  base: "./",
  build: { target: "esnext", outDir: "dist", emptyOutDir: true, chunkSizeWarningLimit: 4000 },
  worker: { format: "es" },
});
