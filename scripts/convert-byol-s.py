#!/usr/bin/env python3
"""Converts the BYOL-S 512 checkpoint (SERAB) into packages/core/src/features/encoders/byol-s-weights.ts.

Usage: /usr/bin/python3 scripts/convert-byol-s.py [CHECKPOINT.pth]
Default checkpoint: ../shared/models/byol-s-512/default512_BYOLAs64x96-2107281850-e100-bs256-lr0003-rs42.pth
(GitHub Neclow/SERAB, commit cc0ebd74014c19ce4fad752afe5dfd374fc7fdb2, MIT; see the LICENSE beside it).

Reads the checkpoint with torch.load when torch is importable, else with zipfile + numpy (a
torch.save zip: data.pkl names the storages in data/N, little-endian float32).

What is written (float32 throughout, little-endian, one contiguous blob, every tensor 16-byte aligned):
  - BatchNorm folded into the preceding convolution with the eval running statistics:
      s = gamma / sqrt(running_var + 1e-5);  w' = w * s[co];  b' = (b - running_mean) * s + beta
    (computed in float64, rounded once to float32).
  - conv weights re-laid out for the channel-last kernels in wasm/encoder.ts:
      PyTorch [cout][cin][kh = mel][kw = time]  ->  [kw][kh][cin][cout]
  - dense weights transposed: PyTorch [out][in] -> [in][out].
The manifest lists each tensor's name, shape (in the stored layout), layout and float offset.
"""
import hashlib, io, json, os, pickle, sys, zipfile
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODEL_DIR = os.path.join(ROOT, "..", "shared", "models", "byol-s-512")
CKPT_NAME = "default512_BYOLAs64x96-2107281850-e100-bs256-lr0003-rs42.pth"
OUT = os.path.join(ROOT, "packages", "core", "src", "features", "encoders", "byol-s-weights.ts")
BN_EPS = 1e-5


def load_state_dict(path):
    try:
        import torch
        sd = torch.load(path, map_location="cpu")
        return {k: v.detach().cpu().numpy() for k, v in sd.items()}
    except ImportError:
        pass
    zf = zipfile.ZipFile(path)
    names = zf.namelist()
    prefix = names[0].split("/")[0]
    storages = {}

    def rebuild_tensor(storage, offset, size, stride, *rest):
        dtype, key = storage
        raw = zf.read(f"{prefix}/data/{key}")
        arr = np.frombuffer(raw, dtype=dtype)
        if not size:
            return arr[offset:offset + 1].reshape(())
        return np.lib.stride_tricks.as_strided(arr[offset:], shape=size,
                                               strides=[s * arr.itemsize for s in stride]).copy()

    class Unpickler(pickle.Unpickler):
        def find_class(self, module, name):
            if name == "_rebuild_tensor_v2":
                return rebuild_tensor
            if name == "OrderedDict":
                import collections
                return collections.OrderedDict
            kinds = {"FloatStorage": "<f4", "LongStorage": "<i8", "DoubleStorage": "<f8"}
            if name in kinds:
                return kinds[name]
            return super().find_class(module, name)

        def persistent_load(self, pid):
            # ('storage', storage_type, key, location, numel)
            return (pid[1], pid[2])

    return Unpickler(io.BytesIO(zf.read(f"{prefix}/data.pkl"))).load()


def main(argv):
    ckpt = argv[0] if argv else os.path.join(MODEL_DIR, CKPT_NAME)
    ckpt_bytes = open(ckpt, "rb").read()
    ckpt_sha = hashlib.sha256(ckpt_bytes).hexdigest()
    sd = load_state_dict(ckpt)
    tensors = []
    for i, (conv, bn) in enumerate([(0, 1), (4, 5), (8, 9)]):
        w = sd[f"features.{conv}.weight"].astype(np.float64)  # [co][ci][kh][kw]
        b = sd[f"features.{conv}.bias"].astype(np.float64)
        g = sd[f"features.{bn}.weight"].astype(np.float64)
        beta = sd[f"features.{bn}.bias"].astype(np.float64)
        rm = sd[f"features.{bn}.running_mean"].astype(np.float64)
        rv = sd[f"features.{bn}.running_var"].astype(np.float64)
        s = g / np.sqrt(rv + BN_EPS)
        wf = w * s[:, None, None, None]
        bf = (b - rm) * s + beta
        wl = np.ascontiguousarray(wf.transpose(3, 2, 1, 0)).astype(np.float32)  # [kw][kh][ci][co]
        tensors.append((f"conv{i + 1}.weight", wl, "kw,kh,cin,cout (BatchNorm folded)"))
        tensors.append((f"conv{i + 1}.bias", bf.astype(np.float32), "cout (BatchNorm folded)"))
    for i, k in enumerate([0, 3]):
        w = sd[f"fc.{k}.weight"].astype(np.float32)  # [out][in]
        tensors.append((f"fc{i + 1}.weight", np.ascontiguousarray(w.T), "in,out"))
        tensors.append((f"fc{i + 1}.bias", sd[f"fc.{k}.bias"].astype(np.float32), "out"))

    parts, manifest, off = [], [], 0
    for name, arr, layout in tensors:
        flat = np.ascontiguousarray(arr, dtype="<f4").ravel()
        manifest.append({"name": name, "shape": list(arr.shape), "layout": layout, "offset": off})
        parts.append(flat)
        off += flat.size
        pad = (-off) % 4  # keep every tensor 16-byte aligned
        if pad:
            parts.append(np.zeros(pad, "<f4"))
            off += pad
    blob = np.concatenate(parts).astype("<f4").tobytes()
    sha = hashlib.sha256(blob).hexdigest()
    import base64
    b64 = base64.b64encode(blob).decode("ascii")
    lines = [b64[i:i + 92] for i in range(0, len(b64), 92)]
    lic_path = os.path.join(os.path.dirname(os.path.abspath(ckpt)), "LICENSE")
    lic = open(lic_path).read().strip() if os.path.exists(lic_path) else ""
    import textwrap
    lic_lines = []
    for para in lic.split("\n"):
        lic_lines.extend(textwrap.wrap(para, 96) or [""])
    header = [
        "// Generated by scripts/convert-byol-s.py. Do not edit.",
        "//",
        "// BYOL-S 512 speech encoder weights (BYOL-A \"AudioNTT2020\" encoder, d = 512), converted from",
        f"// {CKPT_NAME}",
        f"// ({len(ckpt_bytes)} bytes, sha256 {ckpt_sha}),",
        "// file SERAB/checkpoints/ of GitHub Neclow/SERAB at commit",
        "// cc0ebd74014c19ce4fad752afe5dfd374fc7fdb2.",
        "// Scheidwasser-Clow, Kegler, Beckmann & Cernak, \"SERAB: A multi-lingual benchmark for speech",
        "// emotion recognition\", ICASSP 2022 (arXiv 2110.03414). BYOL-A: Niizumi et al., IJCNN 2021",
        "// (arXiv 2103.06695).",
        "//",
        "// Stored as float32 little-endian, BatchNorm (eval running statistics, eps 1e-5) folded into each",
        "// convolution; conv weights laid out [kw = time][kh = mel][cin][cout], dense weights [in][out].",
        "//",
        "// Licence of the original weights:",
        "//",
    ] + [("// " + l).rstrip() for l in lic_lines]
    src = "\n".join(header) + "\n\n"
    src += "export interface ByolSTensor {\n  name: string;\n  shape: number[];\n  layout: string;\n  /** Offset in float32 elements. */\n  offset: number;\n}\n\n"
    src += f"/** sha256 of the decoded weight bytes (the float32 blob below). */\nexport const BYOL_S_WEIGHTS_SHA256 =\n  \"{sha}\";\n\n"
    src += f"/** sha256 of the original checkpoint file. */\nexport const BYOL_S_CHECKPOINT_SHA256 =\n  \"{ckpt_sha}\";\n\n"
    src += f"export const BYOL_S_MANIFEST: {{ floats: number; tensors: ByolSTensor[] }} = {{\n  floats: {off},\n  tensors: [\n"
    for t in manifest:
        src += f"    {{ name: {json.dumps(t['name'])}, shape: {json.dumps(t['shape'])}, offset: {t['offset']},\n"
        src += f"      layout: {json.dumps(t['layout'])} }},\n"
    src += "  ],\n};\n\n"
    # An array joined once at load: a 35,000-term "+" chain overflows TypeScript's checker.
    src += "/** The float32 blob, base64. */\nexport const BYOL_S_WEIGHTS_BASE64: string = [\n"
    src += "".join(f"  \"{l}\",\n" for l in lines) + "].join(\"\");\n"
    with open(OUT, "w") as f:
        f.write(src)
    print(f"wrote {os.path.relpath(OUT, ROOT)}: {off} floats, sha256 {sha}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
