"""Logistic-regression probes on the dumps (speaker 4-fold CV over three fold seeds, one clip at a
time, no speaker normalisation); they point at levers, the mlp's CV (bench:accuracy) and nested
selection (bench:select) decide.
  /usr/bin/python3 bench/probes/probe.py views /tmp/rav-byol     # train on variants, test clean and telephone
  /usr/bin/python3 bench/probes/probe.py layers /tmp/rav-layers  # final vs conv layer, pooling
"""
import json, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.preprocessing import StandardScaler

mode, prefix = sys.argv[1], sys.argv[2]
m = json.load(open(prefix + ".json"))
spk = np.array([i["speaker"] for i in m["items"]]); emo = np.array([i["emotion"] for i in m["items"]])
y = np.array([sorted(set(emo)).index(e) for e in emo]); speakers = sorted(set(spk)); n = len(y)

def cv(train_x, test_x, C=0.01):
    res = []
    for s in (0, 1, 2):
        for f in np.array_split(np.random.RandomState(s).permutation(speakers), 4):
            te = np.isin(spk, f); tr = ~te
            Xtr = np.concatenate([x[tr] for x in train_x]); ytr = np.concatenate([y[tr]] * len(train_x))
            sc = StandardScaler().fit(Xtr)
            clf = LogisticRegression(C=C, max_iter=3000).fit(sc.transform(Xtr), ytr)
            res.append(recall_score(y[te], clf.predict(sc.transform(test_x[te])), average="macro"))
    return np.mean(res)

if mode == "views":
    X = np.fromfile(prefix + ".f32", dtype=np.float32).reshape(len(m["variants"]), n, m["dims"])
    V = {v: X[i] for i, v in enumerate(m["variants"])}
    for train in (["orig"], ["orig", "slower", "faster"], ["orig", "tel"]):
        print("+".join(train), "clean %.3f" % cv([V[t] for t in train], V["orig"]), "telephone %.3f" % cv([V[t] for t in train], V["tel"]))
else:
    X = np.fromfile(prefix + ".f32", dtype=np.float32).reshape(n, 2, 3 * 512)
    final = X[:, 1, :512] + X[:, 1, 512:1024]  # the byol-s front end: mean + max
    for C in (0.003, 0.01, 0.03):
        print("C", C, "final mean+max %.3f" % cv([final], final, C), "conv mean|max %.3f" % cv([X[:, 0, :1024]], X[:, 0, :1024], C),
              "final mean|max|std %.3f" % cv([X[:, 1]], X[:, 1], C))
