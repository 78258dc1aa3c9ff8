import { join } from "node:path";
import { createByolS } from "./byol-s.ts";
import { FIXTURES, maxAbsDiff, readNpy } from "../../../test/helpers.ts";
import ref from "../../../test/fixtures/byol-s/reference.json" with { type: "json" };
const dir = join(FIXTURES, "byol-s");
const input = (name: string) => Float32Array.from(readNpy(join(dir, `input-${name}.npy`)).data);
Deno.test("err", () => {
  const enc = createByolS();
  const js = createByolS({implementation: "js"});
  for (const c of ref.cases) { const o = new Float32Array(512); enc.embed(input(c.name), o); const x=input(c.name); const T=1+Math.floor(x.length/160); const a=new Float32Array(T*64), b=new Float32Array(T*64); enc.logMel(x,a); js.logMel(x,b); console.log(c.name, maxAbsDiff(o, c.embedding), "logmel", maxAbsDiff(a,b)); }
  const x = input("crop"); const f = readNpy(join(dir, "frames-crop.npy")); const out = new Float32Array(enc.frameCount(x.length)*512); enc.frames(x, out); console.log("frames", maxAbsDiff(out, f.data));
});
