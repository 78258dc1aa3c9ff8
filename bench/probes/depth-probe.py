"""Which BYOL-S layer carries emotion for an unseen speaker, one clip at a time: the PyTorch
reference (../shared/models/byol-s-512/reference_embed.py) run on the waves dump-waves.ts wrote,
each layer's frames pooled over time, then logistic regression in speaker 4-fold CV over three
fold seeds (no speaker normalisation), as probe.py. It points at levers; the mlp's CV decides.
  /usr/bin/python3 bench/probes/depth-probe.py /tmp/rav-waves [--mlp]
Measured (UAR %, C = 0.003 / 0.01 / 0.03): final mean+max 47.8 / 49.6 / 50.1; block 1 (channel
mean|max over mels, then mean|max|std over time) 40.2 / 43.8 / 46.5; block 2 the same 47.7 / 49.1 /
50.0, block 2 every mel x channel mean|max 49.9 / 50.8 / -; block 3 mean|max (byol-s-conv)
51.3 / 52.6 / 52.5; fc1 mean|max 49.2 / 49.5 / 49.3; blocks 2 + 3 52.8 / 53.8 / 53.7; blocks
1 + 2 + 3 + final 54.3 / 54.0 / 54.3. SVMs (RBF, linear) on final, block 3 and both scored 1-5
points below logistic regression (/tmp probe, not kept).
With --mlp, a head like the project's default mlp instead (PyTorch: 256 -> 128, ReLU, dropout 0.3,
Adam 1e-3, batch 32, 60 epochs, 0.5 * 0.03 * sum of squared kernels; no refit, no views):
final 48.2 ± 4.0, block 3 50.3 ± 3.3, blocks 2+3 50.5 ± 3.5, blocks 1+2+3+final 51.0 ± 4.0.
"""
import json, os, sys
import numpy as np, torch
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "models", "byol-s-512"))
from reference_embed import CKPT, Encoder, log_mel  # noqa: E402

prefix = sys.argv[1]
m = json.load(open(prefix + ".json"))
w = np.fromfile(prefix + ".f32", dtype=np.float32)
off = m["offsets"]
spk = np.array([i["speaker"] for i in m["items"]]); emo = np.array([i["emotion"] for i in m["items"]])
y = np.array([sorted(set(emo)).index(e) for e in emo]); speakers = sorted(set(spk))
torch.set_num_threads(2)
model = Encoder(); model.load_state_dict(torch.load(CKPT, map_location="cpu")); model.eval()
pool = lambda fr: np.concatenate([fr.mean(0), fr.max(0), fr.std(0)])
F = {k: [] for k in ("b1", "b2", "b2full", "b3", "fc1", "final")}
with torch.no_grad():
    for i in range(len(off) - 1):
        h = torch.from_numpy((log_mel(w[off[i]:off[i + 1]]) + 9.3552) / 5.0646)[None, None]
        blocks = []
        for j, layer in enumerate(model.features):
            h = layer(h)
            if j % 4 == 3: blocks.append(h[0])  # (64 ch, mels, T)
        for k, b in zip(("b1", "b2"), blocks[:2]):
            F[k].append(pool(torch.cat([b.mean(1), b.amax(1)], 0).T.numpy()))
        flat = lambda b: b.permute(2, 1, 0).reshape(b.shape[2], -1)  # (T, mel * 64 + ch)
        F["b2full"].append(pool(flat(blocks[1]).numpy())[:2 * 1024])
        b3 = flat(blocks[2])
        F["b3"].append(pool(b3.numpy())[:1024])
        h1 = model.fc[1](model.fc[0](b3)); F["fc1"].append(pool(h1.numpy())[:1024])
        h2 = model.fc[4](model.fc[3](h1)).numpy(); F["final"].append(h2.mean(0) + h2.max(0))
F = {k: np.array(v, np.float32) for k, v in F.items()}

def mlp_cv(x):
    import torch.nn as nn
    res = []
    for s in (0, 1, 2):
        for f in np.array_split(np.random.RandomState(s).permutation(speakers), 4):
            te = np.isin(spk, f); tr = ~te
            sc = StandardScaler().fit(x[tr])
            xtr, xte = (torch.tensor(sc.transform(x[k]), dtype=torch.float32) for k in (tr, te))
            ytr = torch.tensor(y[tr])
            torch.manual_seed(s)
            net = nn.Sequential(nn.Linear(x.shape[1], 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, len(set(y))))
            opt = torch.optim.Adam(net.parameters(), 1e-3)
            for _ in range(60):
                net.train(); perm = torch.randperm(len(ytr))
                for b in range(0, len(ytr), 32):
                    idx = perm[b:b + 32]
                    l2 = sum((l.weight ** 2).sum() for l in net if isinstance(l, nn.Linear))
                    loss = nn.functional.cross_entropy(net(xtr[idx]), ytr[idx]) + 0.5 * 0.03 * l2
                    opt.zero_grad(); loss.backward(); opt.step()
            net.eval()
            with torch.no_grad(): p = net(xte).argmax(1).numpy()
            res.append(recall_score(y[te], p, average="macro"))
    return 100 * np.mean(res), 100 * np.std(res)

def cv(x, C):
    res = []
    for s in (0, 1, 2):
        for f in np.array_split(np.random.RandomState(s).permutation(speakers), 4):
            te = np.isin(spk, f); tr = ~te
            sc = StandardScaler().fit(x[tr])
            p = LogisticRegression(C=C, max_iter=3000).fit(sc.transform(x[tr]), y[tr]).predict(sc.transform(x[te]))
            res.append(recall_score(y[te], p, average="macro"))
    return 100 * np.mean(res)

sets = {"final mean+max": F["final"], "block 1": F["b1"], "block 2": F["b2"], "block 2 full": F["b2full"], "block 3": F["b3"], "fc1": F["fc1"],
        "blocks 2+3": np.concatenate([F["b2"], F["b3"]], 1), "blocks 1+2+3+final": np.concatenate([F["b1"], F["b2"], F["b3"], F["final"]], 1)}
if "--mlp" in sys.argv:
    for k in ("final mean+max", "block 3", "blocks 2+3", "blocks 1+2+3+final"):
        print(f"{k:20s} mlp %.1f ± %.1f" % mlp_cv(sets[k]), flush=True)
else:
    for k, x in sets.items():
        print(f"{k:20s}", " ".join(f"C {C}: {cv(x, C):.1f}" for C in (0.003, 0.01, 0.03)), flush=True)
