# Generates @tsorch/optim's parity fixtures with PyTorch: 10 optimizer steps per optimizer x options, 100-step LR sequences.
"""Run with Debian's python3-torch:  /usr/bin/python3 tools/make-optim-fixtures.py

Writes packages/optim/src/fixtures/optimizers.json and schedulers.json (small JSON, committed with this script).
Option names are written as @tsorch/optim spells them (camelCase) so the tests pass them through unchanged.
"""
import json
import math
import os

import torch

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "packages", "optim", "src", "fixtures")
STEPS = 10
SHAPES = [[5, 4], [4]]


def snake(k):
    return "".join("_" + c.lower() if c.isupper() else c for c in k)


def torch_opts(o):
    return {snake(k): (tuple(v) if isinstance(v, list) else v) for k, v in o.items()}


def flat(t):
    return [float(x) for x in t.detach().reshape(-1).tolist()]


OPTIMIZERS = [
    ("SGD", {"lr": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.2}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("SGD", {"lr": 0.05, "momentum": 0.5, "weightDecay": 0.1}),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "maximize": True}),
    ("Adam", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "weightDecay": 0.1}),
    ("Adam", {"lr": 0.01, "amsgrad": True}),
    ("Adam", {"lr": 0.02, "betas": [0.8, 0.99], "eps": 1e-6, "maximize": True}),
    ("AdamW", {"lr": 0.01}),
    ("AdamW", {"lr": 0.01, "weightDecay": 0.1}),
    ("AdamW", {"lr": 0.01, "weightDecay": 0.05, "amsgrad": True}),
    ("AdamW", {"lr": 1e-3, "weightDecay": 0.01, "maximize": True}),
    ("Adagrad", {"lr": 0.1}),
    ("Adagrad", {"lr": 0.1, "lrDecay": 0.05}),
    ("Adagrad", {"lr": 0.1, "weightDecay": 0.1, "initialAccumulatorValue": 0.5}),
    ("Adagrad", {"lr": 0.1, "eps": 1e-6, "maximize": True}),
    ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "alpha": 0.9, "centered": True}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}),
    ("RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.5, "weightDecay": 0.1}),
    ("RMSprop", {"lr": 0.01, "maximize": True}),
]
# Two parameter groups with their own options (first group: the first tensor, second group: the second).
GROUPED = [
    ("SGD", {"lr": 0.1}, [{"momentum": 0.9}, {"lr": 0.01, "weightDecay": 0.1}]),
    ("AdamW", {"lr": 0.01}, [{"weightDecay": 0.1}, {"weightDecay": 0.0, "lr": 0.03}]),
]


def run_optimizer(name, defaults, groups, seed):
    g = torch.Generator().manual_seed(seed)
    params = [torch.randn(s, generator=g).requires_grad_() for s in SHAPES]
    init = [flat(p) for p in params]
    grads = [[torch.randn(s, generator=g) for s in SHAPES] for _ in range(STEPS)]
    cls = getattr(torch.optim, name)
    if groups is None:
        opt = cls(params, **torch_opts(defaults))
    else:
        opt = cls([dict(params=[p], **torch_opts(o)) for p, o in zip(params, groups)], **torch_opts(defaults))
    after = []
    for step in range(STEPS):
        for p, gr in zip(params, grads[step]):
            p.grad = gr.clone()
        opt.step()
        after.append([flat(p) for p in params])
    return {
        "optimizer": name,
        "options": defaults,
        "groups": groups,
        "shapes": SHAPES,
        "init": init,
        "grads": [[flat(x) for x in gs] for gs in grads],
        "after": after,
    }


def optimizer_cases():
    cases = []
    for i, (name, o) in enumerate(OPTIMIZERS):
        cases.append(run_optimizer(name, o, None, 100 + i))
    for i, (name, o, groups) in enumerate(GROUPED):
        cases.append(run_optimizer(name, o, groups, 200 + i))
    return cases


LAMBDAS = {
    "exp095": lambda e: 0.95 ** e,
    "step10": lambda e: 1.0 / (1 + e // 10),
}

HF = {
    "constantWithWarmup": lambda w, t: (lambda s: s / max(1, w) if s < w else 1.0),
    "linear": lambda w, t: (lambda s: s / max(1, w) if s < w else max(0.0, (t - s) / max(1, t - w))),
    "cosine": lambda w, t: (
        lambda s: s / max(1, w) if s < w else max(0.0, 0.5 * (1.0 + math.cos(math.pi * 0.5 * 2.0 * ((s - w) / max(1, t - w)))))
    ),
    "cosineWithHardRestarts3": lambda w, t: (
        lambda s: s / max(1, w)
        if s < w
        else (0.0 if (s - w) / max(1, t - w) >= 1.0 else max(0.0, 0.5 * (1.0 + math.cos(math.pi * ((3 * ((s - w) / max(1, t - w))) % 1.0)))))
    ),
}


def poly(w, t, lr_init, lr_end=1e-4, power=2.0):
    def f(s):
        if s < w:
            return s / max(1, w)
        if s > t:
            return lr_end / lr_init
        return ((lr_init - lr_end) * (1 - (s - w) / (t - w)) ** power + lr_end) / lr_init

    return f


def inv_sqrt(w):
    timescale = w or 10000
    shift = timescale - w

    def f(s):
        if s < w:
            return s / max(1, w)
        return 1.0 / math.sqrt((s + shift) / timescale)

    return f


def make_sched(opt, spec):
    kind = spec["kind"]
    a = spec.get("args", {})
    S = torch.optim.lr_scheduler
    if kind == "LambdaLR":
        return S.LambdaLR(opt, LAMBDAS[a["lambda"]])
    if kind == "StepLR":
        return S.StepLR(opt, step_size=a["stepSize"], gamma=a["gamma"])
    if kind == "MultiStepLR":
        return S.MultiStepLR(opt, milestones=a["milestones"], gamma=a["gamma"])
    if kind == "ExponentialLR":
        return S.ExponentialLR(opt, gamma=a["gamma"])
    if kind == "LinearLR":
        return S.LinearLR(opt, start_factor=a["startFactor"], end_factor=a["endFactor"], total_iters=a["totalIters"])
    if kind == "CosineAnnealingLR":
        return S.CosineAnnealingLR(opt, T_max=a["tMax"], eta_min=a["etaMin"])
    if kind == "OneCycleLR":
        return S.OneCycleLR(
            opt,
            max_lr=a["maxLr"],
            total_steps=a["totalSteps"],
            pct_start=a.get("pctStart", 0.3),
            anneal_strategy=a.get("annealStrategy", "cos"),
            three_phase=a.get("threePhase", False),
        )
    if kind == "SequentialLR":
        subs = [make_sched(opt, s) for s in a["schedulers"]]
        return S.SequentialLR(opt, subs, milestones=a["milestones"])
    if kind == "hf":
        w, t = a["numWarmupSteps"], a.get("numTrainingSteps", 0)
        name = a["name"]
        if name == "polynomial":
            f = poly(w, t, opt.defaults["lr"], a["lrEnd"], a["power"])
        elif name == "inverseSqrt":
            f = inv_sqrt(w)
        else:
            f = HF[name](w, t)
        return S.LambdaLR(opt, f)
    raise ValueError(kind)


SCHEDULERS = [
    {"kind": "LambdaLR", "args": {"lambda": "exp095"}},
    {"kind": "LambdaLR", "args": {"lambda": "step10"}},
    {"kind": "StepLR", "args": {"stepSize": 7, "gamma": 0.5}},
    {"kind": "MultiStepLR", "args": {"milestones": [10, 30, 30, 60], "gamma": 0.3}},
    {"kind": "ExponentialLR", "args": {"gamma": 0.97}},
    {"kind": "LinearLR", "args": {"startFactor": 0.25, "endFactor": 1.0, "totalIters": 20}},
    {"kind": "LinearLR", "args": {"startFactor": 1.0, "endFactor": 0.1, "totalIters": 30}},
    {"kind": "CosineAnnealingLR", "args": {"tMax": 30, "etaMin": 0.001}},
    {"kind": "OneCycleLR", "args": {"maxLr": 0.5, "totalSteps": 100}},
    {"kind": "OneCycleLR", "optimizer": "Adam", "args": {"maxLr": 0.01, "totalSteps": 100, "annealStrategy": "linear", "threePhase": True, "pctStart": 0.25}},
    {"kind": "SequentialLR", "args": {"schedulers": [{"kind": "LinearLR", "args": {"startFactor": 0.1, "endFactor": 1.0, "totalIters": 5}}, {"kind": "ExponentialLR", "args": {"gamma": 0.9}}], "milestones": [5]}},
    {
        "kind": "SequentialLR",
        "args": {
            "schedulers": [
                {"kind": "LambdaLR", "args": {"lambda": "exp095"}},
                {"kind": "StepLR", "args": {"stepSize": 10, "gamma": 0.5}},
                {"kind": "CosineAnnealingLR", "args": {"tMax": 20, "etaMin": 0.0}},
            ],
            "milestones": [20, 50],
        },
    },
    {"kind": "hf", "args": {"name": "linear", "numWarmupSteps": 10, "numTrainingSteps": 100}},
    {"kind": "hf", "args": {"name": "cosine", "numWarmupSteps": 10, "numTrainingSteps": 100}},
    {"kind": "hf", "args": {"name": "cosineWithHardRestarts3", "numWarmupSteps": 10, "numTrainingSteps": 90}},
    {"kind": "hf", "args": {"name": "constantWithWarmup", "numWarmupSteps": 15}},
    {"kind": "hf", "args": {"name": "polynomial", "numWarmupSteps": 10, "numTrainingSteps": 80, "lrEnd": 1e-4, "power": 2.0}},
    {"kind": "hf", "args": {"name": "inverseSqrt", "numWarmupSteps": 10}},
]


def scheduler_cases():
    out = []
    for spec in SCHEDULERS:
        p1 = torch.zeros(2, requires_grad=True)
        p2 = torch.zeros(2, requires_grad=True)
        if spec.get("optimizer") == "Adam":
            opt = torch.optim.Adam([{"params": [p1]}, {"params": [p2], "lr": 0.005}], lr=0.01)
        else:
            opt = torch.optim.SGD([{"params": [p1]}, {"params": [p2], "lr": 0.01}], lr=0.1, momentum=0.9)
        sched = make_sched(opt, spec)
        lrs = [list(sched.get_last_lr())]
        momenta = [[g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]]
        for _ in range(100):
            opt.step()
            sched.step()
            lrs.append(list(sched.get_last_lr()))
            momenta.append([g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups])
        out.append({**spec, "optimizer": spec.get("optimizer", "SGD"), "lrs": lrs, "momenta": momenta})
    return out


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore")
    os.makedirs(OUT, exist_ok=True)
    meta = {"torch": torch.__version__, "generator": "tools/make-optim-fixtures.py"}
    with open(os.path.join(OUT, "optimizers.json"), "w") as f:
        json.dump({"meta": {**meta, "steps": STEPS}, "cases": optimizer_cases()}, f)
    with open(os.path.join(OUT, "schedulers.json"), "w") as f:
        json.dump({"meta": meta, "cases": scheduler_cases()}, f)
    print("wrote", OUT)
