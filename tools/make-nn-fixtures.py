# Generates @tsorch/nn's parity fixtures with PyTorch: MultiheadAttention, Bilinear and clip_grad_norm_ on fixed weights.
"""Run with Debian's python3-torch:  /usr/bin/python3 tools/make-nn-fixtures.py

Writes packages/nn/src/fixtures/nn.json (small JSON, committed with this script).
"""
import json
import os

import torch

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(__file__), "..", "packages", "nn", "src", "fixtures")


def t(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.detach().reshape(-1).tolist()]}


def mha_cases():
    cases = []
    g = torch.manual_seed(0)
    for name, kw, call in [
        ("plain", {}, {}),
        ("causal_padding", {}, {"causal": True, "padding": True}),
        ("per_head_weights", {}, {"average": False, "padding": True}),
        ("no_bias_float_mask", {"bias": False}, {"float_mask": True}),
    ]:
        E, H, N, L = 8, 2, 3, 5
        m = torch.nn.MultiheadAttention(E, H, batch_first=True, **kw)
        q = torch.randn(N, L, E, requires_grad=True)
        mask = None
        if call.get("causal"):
            mask = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)
        if call.get("float_mask"):
            mask = torch.randn(L, L)
        kpm = None
        if call.get("padding"):
            kpm = torch.zeros(N, L, dtype=torch.bool)
            kpm[1, 3:] = True
            kpm[2, 4:] = True
        out, w = m(q, q, q, key_padding_mask=kpm, attn_mask=mask, average_attn_weights=call.get("average", True))
        up = torch.randn_like(out)
        (out * up).sum().backward()
        cases.append(
            {
                "name": name,
                "embedDim": E,
                "numHeads": H,
                "bias": kw.get("bias", True),
                "state": {k: t(v) for k, v in m.state_dict().items()},
                "query": t(q),
                "attnMaskBool": t(mask.float()) if mask is not None and mask.dtype == torch.bool else None,
                "attnMaskFloat": t(mask) if mask is not None and mask.dtype != torch.bool else None,
                "keyPaddingMask": t(kpm.float()) if kpm is not None else None,
                "averageAttnWeights": call.get("average", True),
                "output": t(out),
                "weights": t(w),
                "upstream": t(up),
                "gradQuery": t(q.grad),
                "gradInProjWeight": t(m.in_proj_weight.grad),
            }
        )
    return cases


def bilinear_case():
    torch.manual_seed(1)
    m = torch.nn.Bilinear(3, 4, 5)
    x1 = torch.randn(2, 6, 3)
    x2 = torch.randn(2, 6, 4)
    return {"weight": t(m.weight), "bias": t(m.bias), "x1": t(x1), "x2": t(x2), "output": t(m(x1, x2))}


def clip_cases():
    out = []
    torch.manual_seed(2)
    grads = [torch.randn(4, 3) * 3, torch.randn(7)]
    for norm_type, max_norm in [(2.0, 1.0), (1.0, 5.0), (float("inf"), 0.5), (3.0, 100.0)]:
        ps = [torch.zeros_like(g, requires_grad=True) for g in grads]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
        out.append(
            {
                "normType": "inf" if norm_type == float("inf") else norm_type,
                "maxNorm": max_norm,
                "grads": [t(g) for g in grads],
                "total": float(total),
                "clipped": [t(p.grad) for p in ps],
            }
        )
    return out


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "nn.json"), "w") as f:
        json.dump({"meta": {"torch": torch.__version__, "generator": "tools/make-nn-fixtures.py"}, "mha": mha_cases(), "bilinear": bilinear_case(), "clip": clip_cases()}, f)
    print("wrote", OUT)
