"""Writes a small CIFAR-10 in the exact formats of the official archives.

    python3 make_cifar10.py OUT N SEED

makes OUT/cifar-10-batches-py (data_batch_1..5, test_batch, batches.meta)
and OUT/cifar-10-batches-bin (data_batch_1..5.bin, test_batch.bin,
batches.meta.txt) holding the same N random images per batch.

The official Python batches were written by Python 2's cPickle at protocol
2: Python 2 strings (the dict keys, the raw array bytes, the names) are
BINSTRING/SHORT_BINSTRING opcodes, which Python 3 reads back as str (with
encoding="latin1") or bytes. Python 3's pickler would write bytes at
protocol 2 as calls to _codecs.encode instead, so Py2Pickler below writes
them the way Python 2 did; numpy's own reduction (numpy.core.multiarray.
_reconstruct, numpy.dtype) is what Python 2's numpy produced too.
"""
import os
import pickle
import struct
import sys

import numpy as np

LABEL_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer",
               b"dog", b"frog", b"horse", b"ship", b"truck"]


class Py2Pickler(pickle._Pickler):
    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj):
        if isinstance(obj, str):
            obj = obj.encode("latin1")
        n = len(obj)
        if n < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([n]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", n) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str
    dispatch[str] = save_py2_str


def dump(obj, path):
    with open(path, "wb") as f:
        Py2Pickler(f, protocol=2).dump(obj)


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.RandomState(seed)
    py = os.path.join(out, "cifar-10-batches-py")
    binary = os.path.join(out, "cifar-10-batches-bin")
    os.makedirs(py, exist_ok=True)
    os.makedirs(binary, exist_ok=True)
    names = ["data_batch_%d" % i for i in range(1, 6)] + ["test_batch"]
    for k, name in enumerate(names):
        data = rng.randint(0, 256, size=(n, 3072)).astype(np.uint8)
        labels = [int(x) for x in rng.randint(0, 10, size=n)]
        label = ("testing batch 1 of 1" if name == "test_batch" else "training batch %d of 5" % (k + 1)).encode()
        dump({
            b"batch_label": label,
            b"labels": labels,
            b"data": data,
            b"filenames": [b"image_%d_%d.png" % (k, i) for i in range(n)],
        }, os.path.join(py, name))
        with open(os.path.join(binary, name + ".bin"), "wb") as f:
            for i in range(n):
                f.write(bytes([labels[i]]) + data[i].tobytes())
    dump({b"num_cases_per_batch": n, b"label_names": LABEL_NAMES, b"num_vis": 3072},
         os.path.join(py, "batches.meta"))
    with open(os.path.join(binary, "batches.meta.txt"), "wb") as f:
        f.write(b"\n".join(LABEL_NAMES) + b"\n\n")


if __name__ == "__main__":
    main()
