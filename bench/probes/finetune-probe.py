"""Does fine-tuning BYOL-S's dense layers help an unseen speaker, one clip at a time? The block-3
frames of the PyTorch reference (../shared/models/byol-s-512/reference_embed.py) on the waves
dump-waves.ts wrote go through BYOL-S's two dense layers (pretrained, frozen or trained at a
lower learning rate), max + mean over time, standardised, then a head like the default mlp
(256 -> 128, dropout 0.3, Adam 1e-3, batch 32, 0.5 * 0.03 * squared head kernels); speaker
4-fold CV (fold seed 0), no speaker normalisation, 40 epochs.
  /usr/bin/python3 bench/probes/finetune-probe.py /tmp/rav-waves
Measured (UAR %, mean ± std over the 4 folds): frozen 44.0 ± 2.6; dense layers fine-tuned at
1e-4 49.3 ± 2.3 (+5.3), about what block 3's pooled features reach through the same kind of head
without any fine-tuning (depth-probe.py --mlp: 50.3 over three fold seeds).
"""
import json, os, sys, numpy as np, torch, torch.nn as nn, copy
from sklearn.metrics import recall_score
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "models", "byol-s-512"))
from reference_embed import CKPT, Encoder, log_mel
prefix = sys.argv[1]
m = json.load(open(prefix + ".json")); w = np.fromfile(prefix + ".f32", dtype=np.float32); off = m["offsets"]
spk = np.array([i["speaker"] for i in m["items"]]); emo = np.array([i["emotion"] for i in m["items"]])
y = np.array([sorted(set(emo)).index(e) for e in emo]); speakers = sorted(set(spk))
torch.set_num_threads(2)
enc = Encoder(); enc.load_state_dict(torch.load(CKPT, map_location="cpu")); enc.eval()
frames = []
with torch.no_grad():
    for i in range(len(off) - 1):
        h = torch.from_numpy((log_mel(w[off[i]:off[i + 1]]) + 9.3552) / 5.0646)[None, None]
        b = enc.features(h)[0]
        frames.append(b.permute(2, 1, 0).reshape(b.shape[2], -1))
L = max(f.shape[0] for f in frames)
X = torch.zeros(len(frames), L, 512); M = torch.zeros(len(frames), L)
for i, f in enumerate(frames): X[i, :len(f)] = f; M[i, :len(f)] = 1
class Net(nn.Module):
    def __init__(self, train_fc):
        super().__init__()
        self.fc = copy.deepcopy(enc.fc); self.fc[2].p = 0.3
        for p in self.fc.parameters(): p.requires_grad = train_fc
        self.head = nn.Sequential(nn.Linear(512, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 8))
        self.mu = None
    def embed(self, x, m):
        h = self.fc(x)
        mx = (h - 1e4 * (1 - m[..., None])).amax(1); mean = (h * m[..., None]).sum(1) / m.sum(1, keepdim=True)
        return mx + mean
    def forward(self, x, m):
        e = self.embed(x, m)
        return self.head((e - self.mu) / self.sd)
def run(train_fc, lr_fc, epochs=60, seeds=(0,1,2)):
    res = []
    for s in seeds:
        for f in np.array_split(np.random.RandomState(s).permutation(speakers), 4):
            te = torch.tensor(np.isin(spk, f)); tr = ~te
            torch.manual_seed(s)
            net = Net(train_fc)
            with torch.no_grad():
                net.eval(); e = net.embed(X[tr], M[tr]); net.mu = e.mean(0); sd = e.std(0); net.sd = torch.where(sd > 1e-6, sd, torch.ones_like(sd))
            groups = [{"params": net.head.parameters(), "lr": 1e-3}]
            if train_fc: groups.append({"params": net.fc.parameters(), "lr": lr_fc})
            opt = torch.optim.Adam(groups)
            xt, mt, yt = X[tr], M[tr], torch.tensor(y)[tr]
            for _ in range(epochs):
                net.train(); perm = torch.randperm(len(yt))
                for b in range(0, len(yt), 32):
                    i = perm[b:b + 32]
                    l2 = sum((l.weight ** 2).sum() for l in net.head if isinstance(l, nn.Linear))
                    loss = nn.functional.cross_entropy(net(xt[i], mt[i]), yt[i]) + 0.5 * 0.03 * l2
                    opt.zero_grad(); loss.backward(); opt.step()
            net.eval()
            with torch.no_grad(): p = net(X[te], M[te]).argmax(1).numpy()
            res.append(recall_score(y[te.numpy()], p, average="macro"))
    return 100 * np.mean(res), 100 * np.std(res)
import time
t=time.time(); print("frozen fc, seed 0, 40 epochs      %.1f ± %.1f" % run(False, 0, 40, (0,)), time.time()-t, flush=True)
t=time.time(); print("fine-tune fc lr 1e-4, seed 0, 40 epochs  %.1f ± %.1f" % run(True, 1e-4, 40, (0,)), time.time()-t, flush=True)
