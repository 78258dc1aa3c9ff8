"""Nuisance attribute projection (NAP) probe on the three shared corpora (not a benchmark): the
directions in which training speakers differ once each emotion's mean is taken out are projected
away from every clip's features, so a new voice's offset along them no longer moves the
prediction, one clip at a time and with nothing known of the speaker. Logistic regression on a
global scaler, each corpus's clips weighed evenly and, within it, each emotion (as the mlp's
corpus weighting); leave one corpus out (each test clip choosing among its corpus's emotions
the training corpora know) and speaker 4-fold CV over three fold seeds.
  deno run -A bench/probes/dump-embeddings.ts --out /tmp/corpora ../shared/datasets/{ravdess,emodb,nemo}
  /usr/bin/python3 bench/probes/nap-probe.py /tmp/corpora 0,4,8 > bench/results/nap-probe.txt
"""
import json, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.preprocessing import StandardScaler

prefix = sys.argv[1]
ks = [int(k) for k in (sys.argv[2] if len(sys.argv) > 2 else "0,2,4,8,12,16").split(",")]
C = float(sys.argv[3]) if len(sys.argv) > 3 else 0.01
m = json.load(open(prefix + ".json"))
X = np.fromfile(prefix + ".f32", dtype=np.float32).reshape(len(m["items"]), m["dims"]).astype(np.float64)
spk = np.array([i["speaker"] for i in m["items"]]); emo = np.array([i["emotion"] for i in m["items"]])
cor = np.array([i["dataset"] for i in m["items"]])
labels = sorted(set(emo)); y = np.array([labels.index(e) for e in emo])

def weights(idx):
    w = np.zeros(len(idx))
    for c in set(cor[idx]):
        in_c = cor[idx] == c
        for e in set(y[idx][in_c]):
            cell = in_c & (y[idx] == e)
            w[cell] = 1.0 / (cell.sum() * len(set(y[idx][in_c])) * len(set(cor[idx])))
    return w * len(idx)

def nap(Z, idx, k):
    """Top-k directions of the training speakers' means after each (corpus, emotion) mean is removed."""
    if k == 0: return np.eye(Z.shape[1])
    R = Z[idx].copy()
    for c in set(cor[idx]):
        for e in set(y[idx]):
            cell = (cor[idx] == c) & (y[idx] == e)
            if cell.any(): R[cell] -= R[cell].mean(0)
    S = np.array([R[spk[idx] == s].mean(0) for s in sorted(set(spk[idx]))])
    _, _, Vt = np.linalg.svd(S, full_matrices=False)
    U = Vt[:k].T
    return np.eye(Z.shape[1]) - U @ U.T

def fit(tr, k):
    """The scaler, projection and classifier fitted on the training clips; k is capped by the training speakers."""
    sc = StandardScaler().fit(X[tr]); Z = sc.transform(X)
    P = nap(Z, tr, min(k, len(set(spk[tr])))); Z = Z @ P
    return Z, LogisticRegression(C=C, max_iter=4000).fit(Z[tr], y[tr], sample_weight=weights(tr))

def predict(Z, clf, te, allowed):
    """Each test clip choosing among `allowed` (narrowed)."""
    logp = clf.predict_log_proba(Z[te])
    cls = list(clf.classes_)
    mask = np.array([c in allowed for c in cls])
    logp[:, ~mask] = -np.inf
    return np.array(cls)[logp.argmax(1)]

for k in ks:
    loco = {}
    for c in sorted(set(cor)):
        te = np.where(cor == c)[0]; tr = np.where(cor != c)[0]
        allowed = set(y[te]) & set(y[tr])
        keep = np.isin(y[te], list(allowed)); te = te[keep]
        Z, clf = fit(tr, k)
        loco[c] = 100 * recall_score(y[te], predict(Z, clf, te, allowed), average="macro")
    spk_cv = {c: [] for c in sorted(set(cor))}
    for seed in (0, 1, 2):
        folds = [[] for _ in range(4)]
        for c in sorted(set(cor)):
            ss = np.random.RandomState(seed).permutation(sorted(set(spk[cor == c])))
            for i, s in enumerate(ss): folds[i % 4].append(s)
        preds = np.empty(len(y), dtype=int)
        for f in folds:
            te = np.where(np.isin(spk, f))[0]; tr = np.where(~np.isin(spk, f))[0]
            Z, clf = fit(tr, k)
            for c in set(cor[te]):
                t = te[cor[te] == c]
                preds[t] = predict(Z, clf, t, set(y[cor == c]))
        for c in spk_cv: spk_cv[c].append(100 * recall_score(y[cor == c], preds[cor == c], average="macro"))
    spk_m = {c: np.mean(v) for c, v in spk_cv.items()}
    print(f"k={k:2d}  left out: " + "  ".join(f"{c} {v:.1f}" for c, v in loco.items()) + f"  (mean {np.mean(list(loco.values())):.1f})"
          + "   speaker CV: " + "  ".join(f"{c} {v:.1f}" for c, v in spk_m.items()) + f"  (mean {np.mean(list(spk_m.values())):.1f})", flush=True)
