#!/usr/bin/env python3
"""Writes pytorch_model.bin files in torch.save's zip format, for the restricted unpickler's tests.

Usage: make-torch-bin.py SPEC.json OUT.bin [--hostile] [--with-torch]

SPEC.json: {"tensors": [{"name": ..., "dtype": "float32"|"float16"|"int64", "shape": [...], "file": raw-bytes path}]}
Without --with-torch only the standard library is used: stand-ins for torch's globals are pickled under torch's
names (torch._utils._rebuild_tensor_v2, torch.FloatStorage, collections.OrderedDict), exactly as torch.save writes them.
With --with-torch, real torch.save is used (when python3-torch is installed), so the format is checked both ways.
--hostile writes an archive whose pickle calls os.system: the reader must refuse it without running it.
"""
import collections
import json
import os
import pickle
import sys
import types
import zipfile

STORAGE = {"float32": "FloatStorage", "float16": "HalfStorage", "float64": "DoubleStorage", "int64": "LongStorage", "int32": "IntStorage", "uint8": "ByteStorage", "bool": "BoolStorage", "bfloat16": "BFloat16Storage"}
ITEM = {"float32": 4, "float16": 2, "float64": 8, "int64": 8, "int32": 4, "uint8": 1, "bool": 1, "bfloat16": 2}


def fake_torch():
    torch = types.ModuleType("torch")
    utils = types.ModuleType("torch._utils")

    def _rebuild_tensor_v2(*args):
        raise RuntimeError("stand-in")

    _rebuild_tensor_v2.__module__ = "torch._utils"
    _rebuild_tensor_v2.__qualname__ = "_rebuild_tensor_v2"
    utils._rebuild_tensor_v2 = _rebuild_tensor_v2
    torch._utils = utils
    for cls in STORAGE.values():
        c = type(cls, (), {})
        c.__module__ = "torch"
        setattr(torch, cls, c)
    sys.modules["torch"] = torch
    sys.modules["torch._utils"] = utils
    return torch


class StorageRef:
    def __init__(self, cls, key, numel):
        self.cls, self.key, self.numel = cls, key, numel


class TensorStandIn:
    def __init__(self, rebuild, ref, shape):
        self.rebuild, self.ref, self.shape = rebuild, ref, shape

    def __reduce_ex__(self, protocol):
        stride, acc = [], 1
        for d in reversed(self.shape):
            stride.insert(0, acc)
            acc *= d
        return (self.rebuild, (self.ref, 0, tuple(self.shape), tuple(stride), False, collections.OrderedDict()))


class Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, StorageRef):
            return ("storage", obj.cls, obj.key, "cpu", obj.numel)
        return None


class Hostile:
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/tsorch-pwned",))


def main():
    spec_path, out = sys.argv[1], sys.argv[2]
    spec = json.load(open(spec_path))
    if "--with-torch" in sys.argv:
        import torch  # noqa: F401  (python3-torch)

        sd = collections.OrderedDict()
        dt = {"float32": torch.float32, "float16": torch.float16, "int64": torch.int64, "float64": torch.float64}
        for t in spec["tensors"]:
            raw = open(t["file"], "rb").read()
            sd[t["name"]] = torch.frombuffer(bytearray(raw), dtype=dt[t["dtype"]]).reshape(t["shape"]).clone()
        torch.save(sd, out)
        return
    torch = fake_torch()
    sd = collections.OrderedDict()
    blobs = {}
    for i, t in enumerate(spec["tensors"]):
        raw = open(t["file"], "rb").read()
        numel = len(raw) // ITEM[t["dtype"]]
        ref = StorageRef(getattr(torch, STORAGE[t["dtype"]]), str(i), numel)
        blobs[str(i)] = raw
        sd[t["name"]] = TensorStandIn(torch._utils._rebuild_tensor_v2, ref, t["shape"])
    if "--hostile" in sys.argv:
        sd["evil"] = Hostile()
    import io

    buf = io.BytesIO()
    Pickler(buf, protocol=2).dump(sd)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", buf.getvalue())
        z.writestr("archive/byteorder", "little")
        for k, raw in blobs.items():
            z.writestr(f"archive/data/{k}", raw)
        z.writestr("archive/version", "3\n")


if __name__ == "__main__":
    main()
