# Generates @tsorch/trainer's classification-metric fixtures with scikit-learn (accuracy, precision/recall/F-beta).
"""Run with Debian's python3-sklearn:  /usr/bin/python3 tools/make-metrics-fixtures.py

Writes packages/trainer/src/fixtures/sklearn-metrics.json (small JSON, committed with this script).
"""
import json
import os
import random
import warnings

import sklearn
from sklearn.metrics import accuracy_score, precision_recall_fscore_support

warnings.filterwarnings("ignore")
OUT = os.path.join(os.path.dirname(__file__), "..", "packages", "trainer", "src", "fixtures")


def f(x):
    return None if x is None else float(x)


def main():
    rng = random.Random(0)
    cases = []
    inputs = [
        ([0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0]),
        ([0, 0, 0, 0], [0, 0, 0, 0]),  # no positives at all: zero_division everywhere
        ([0, 0, 1, 1], [0, 0, 0, 0]),  # no positive predictions
        (["cat", "dog", "pig", "cat", "dog", "pig"], ["cat", "pig", "dog", "cat", "cat", "dog"]),
        ([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2]),
        ([1, 1, 1], [2, 2, 2]),  # disjoint label sets
    ]
    for n, k in [(20, 2), (30, 3), (40, 5), (12, 4)]:
        yt = [rng.randrange(k) for _ in range(n)]
        yp = [rng.randrange(k) for _ in range(n)]
        inputs.append((yt, yp))
    for yt, yp in inputs:
        labels = sorted(set(yt) | set(yp))
        for average in ["binary", "micro", "macro", "weighted", None]:
            if average == "binary" and (len(labels) > 2 or isinstance(labels[0], str)):
                continue
            if average == "binary" and 1 not in labels:
                continue
            for zd in ["warn", 0, 1]:
                for beta in [1.0, 0.5, 2.0]:
                    p, r, fs, s = precision_recall_fscore_support(yt, yp, average=average, zero_division=zd, beta=beta)
                    res = {
                        "precision": [float(v) for v in p] if average is None else f(p),
                        "recall": [float(v) for v in r] if average is None else f(r),
                        "fscore": [float(v) for v in fs] if average is None else f(fs),
                        "support": None if s is None else [int(v) for v in s],
                    }
                    cases.append({"yTrue": yt, "yPred": yp, "average": average, "zeroDivision": zd, "beta": beta, **res})
    # explicit label subsets / orders and a non-default positive label
    extra = [
        ([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], {"average": "macro", "labels": [2, 0]}),
        ([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], {"average": None, "labels": [2, 1, 0, 5]}),
        ([2, 0, 2, 2, 0, 1], [0, 0, 2, 2, 0, 2], {"average": "micro", "labels": [1, 2]}),
        ([0, 1, 1, 0, 1, 1], [0, 1, 0, 0, 1, 0], {"average": "binary", "pos_label": 0}),
        (["neg", "pos", "pos"], ["pos", "pos", "neg"], {"average": "binary", "pos_label": "pos"}),
    ]
    for yt, yp, kw in extra:
        p, r, fs, s = precision_recall_fscore_support(yt, yp, **kw)
        avg = kw["average"]
        cases.append({
            "yTrue": yt, "yPred": yp, "average": avg, "zeroDivision": "warn", "beta": 1.0,
            "labels": kw.get("labels"), "posLabel": kw.get("pos_label"),
            "precision": [float(v) for v in p] if avg is None else f(p),
            "recall": [float(v) for v in r] if avg is None else f(r),
            "fscore": [float(v) for v in fs] if avg is None else f(fs),
            "support": None if s is None else [int(v) for v in s],
        })
    acc = [{"yTrue": yt, "yPred": yp, "accuracy": float(accuracy_score(yt, yp))} for yt, yp in inputs]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "sklearn-metrics.json"), "w") as fh:
        json.dump({"sklearn": sklearn.__version__, "prf": cases, "accuracy": acc}, fh)
    print(f"wrote {len(cases)} prf cases and {len(acc)} accuracy cases")


if __name__ == "__main__":
    main()
