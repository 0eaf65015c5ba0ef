"""Writes files laid out as torch.save (PyTorch >= 1.6: a zip archive, pickle protocol 2) writes them, without
PyTorch, for the tests of diffusion4j's PyTorch checkpoint reader. Tensors are pickled exactly as
torch.Tensor.__reduce_ex__ pickles them, (torch._utils._rebuild_tensor_v2, (storage, offset, size, stride,
requires_grad, OrderedDict())), parameters through torch._utils._rebuild_parameter, and storages through
persistent_id ('storage', torch.<Type>Storage, key, 'cpu', numel), as torch/serialization.py does.
"""
import collections
import io
import pickle
import struct
import sys
import types
import zipfile

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _rebuild_tensor_v2(*args):
    raise AssertionError("only pickled, never called here")


_rebuild_tensor_v2.__module__ = "torch._utils"
torch_utils._rebuild_tensor_v2 = _rebuild_tensor_v2


def _rebuild_parameter(*args):
    raise AssertionError("only pickled, never called here")


_rebuild_parameter.__module__ = "torch._utils"
torch_utils._rebuild_parameter = _rebuild_parameter

for type_name in ("FloatStorage", "DoubleStorage", "HalfStorage", "LongStorage"):
    cls = type(type_name, (), {})
    cls.__module__ = "torch"
    setattr(torch, type_name, cls)


class Storage:
    def __init__(self, key, storage_type, fmt, values):
        self.key, self.storage_type, self.fmt, self.values = key, storage_type, fmt, values

    def data(self):
        return b"".join(struct.pack("<" + self.fmt, v) for v in self.values)


class Tensor:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, size, stride

    def __reduce_ex__(self, protocol):
        return (_rebuild_tensor_v2,
                (self.storage, self.offset, tuple(self.size), tuple(self.stride), False, collections.OrderedDict()))


class Parameter(Tensor):
    def __reduce_ex__(self, protocol):
        return (_rebuild_parameter, (Tensor(self.storage, self.offset, self.size, self.stride), True,
                                     collections.OrderedDict()))


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, Storage):
            return ("storage", obj.storage_type, obj.key, "cpu", len(obj.values))
        return None




def save(root, path, archive, storages):
    """Pickles root (dicts, OrderedDicts, Tensors, numbers, strings) and writes the zip archive `path`."""
    buf = io.BytesIO()
    TorchLikePickler(buf, protocol=2).dump(root)
    entries = [("data.pkl", buf.getvalue()), ("byteorder", b"little")]
    entries += [("data/" + s.key, s.data()) for s in storages]
    entries.append(("version", b"3\n"))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for name, data in entries:
            z.writestr(zipfile.ZipInfo(archive + "/" + name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    return len(buf.getvalue())
