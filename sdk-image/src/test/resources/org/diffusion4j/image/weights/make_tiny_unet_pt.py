"""Writes tiny-unet.pt for TorchWeightsTest: the state dict of TorchWeightsTest.TINY (names and shapes in
tiny-unet-names.txt, as UNet2D.namedParameters() lists them) as torch.save writes a model.state_dict() (an
OrderedDict of float32 tensors, one storage each, with _metadata), in the layout of a published improved-diffusion
ema_*.pt. Element i of the j-th tensor is float32(0.25 * sin(0.7 * i + 1.3 * j)); the test restates the formula.

Run from the repository root: python3 sdk-image/src/test/resources/org/diffusion4j/image/weights/make_tiny_unet_pt.py
"""
import collections
import math
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "..", "..", "..", "..", "..", "..", "tools", "torch-save-fixture"))
from fake_torch_save import Storage, Tensor, save, torch  # noqa: E402

state = collections.OrderedDict()
storages = []
with open(os.path.join(here, "tiny-unet-names.txt")) as f:
    for j, line in enumerate(l for l in f if l.strip()):
        name, dims = line.split()
        size = [int(d) for d in dims.split(",")]
        numel = math.prod(size)
        stride = [math.prod(size[k + 1:]) for k in range(len(size))]
        s = Storage(str(j), torch.FloatStorage, "f", [0.25 * math.sin(0.7 * i + 1.3 * j) for i in range(numel)])
        storages.append(s)
        state[name] = Tensor(s, 0, size, stride)
state._metadata = collections.OrderedDict([("", {"version": 1})])
save(state, os.path.join(here, "tiny-unet.pt"), "tiny-unet", storages)
print("wrote tiny-unet.pt with", len(state), "tensors")
