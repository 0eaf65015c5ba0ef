"""Writes torch-save-fixture.pt for PyTorchCheckpointTest: a nested state dict as torch.save writes it (see
tools/torch-save-fixture/fake_torch_save.py), with a contiguous tensor, a transposed view at an offset, an
nn.Parameter, float16 and int64 tensors, and non-tensor values. Expected values are restated in the test.

Run from the repository root: python3 sdk-core/src/test/resources/org/diffusion4j/core/weights/make_torch_save_fixture.py
"""
import collections
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "..", "..", "..", "..", "..", "tools", "torch-save-fixture"))
from fake_torch_save import Parameter, Storage, Tensor, save, torch  # noqa: E402

# storage 0: float32 0.5 * k for k = 0..11, shared by three tensors
s0 = Storage("0", torch.FloatStorage, "f", [0.5 * k for k in range(12)])
# storage 1: float16 values exactly representable
s1 = Storage("1", torch.HalfStorage, "e", [1.0, -2.0, 0.25, 1024.0])
# storage 2: int64
s2 = Storage("2", torch.LongStorage, "q", [7, -3, 2 ** 40])

model = collections.OrderedDict()
model["conv.weight"] = Tensor(s0, 0, [2, 3, 2], [6, 2, 1])         # contiguous view of all 12 values
model["proj.weight"] = Tensor(s0, 1, [3, 2], [1, 3])               # a transposed view starting at element 1
model["proj.bias"] = Parameter(s0, 10, [2], [1])                   # nn.Parameter, offset 10
model["half"] = Tensor(s1, 0, [2, 2], [2, 1])
model["counts"] = Tensor(s2, 0, [3], [1])
model._metadata = collections.OrderedDict([("", {"version": 1})])
root = {"model": model, "step": 1234, "params": {"lr": 2e-4, "name": "fixture"}}

n = save(root, os.path.join(here, "torch-save-fixture.pt"), "torch-save-fixture", [s0, s1, s2])
print("wrote torch-save-fixture.pt,", n, "pickle bytes")
