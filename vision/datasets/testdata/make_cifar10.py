"""Writes a small CIFAR-10 in the exact formats of the official archives.

    python3 make_cifar10.py [--learnable] OUT N SEED

makes OUT/cifar-10-batches-py (data_batch_1..5, test_batch, batches.meta)
and OUT/cifar-10-batches-bin (data_batch_1..5.bin, test_batch.bin,
batches.meta.txt) holding the same N images per batch: random pixels and
labels (the reader's tests, vision/datasets), or with --learnable image i
of a batch is of class i % 10 and is that class's colour plus noise, so
that a few epochs of the tutorial's MLP learn it (cmd/cifar10's end-to-end
test checks that training works, not only that it runs).

The official Python batches were written by Python 2's cPickle at protocol
2: Python 2 strings (the dict keys, the raw array bytes, the names) are
BINSTRING/SHORT_BINSTRING opcodes, which Python 3 reads back as str (with
encoding="latin1") or bytes. Python 3's pickler would write bytes at
protocol 2 as calls to _codecs.encode instead, so Py2Pickler below writes
them the way Python 2 did; numpy's own reduction (numpy.core.multiarray.
_reconstruct, numpy.dtype) is what Python 2's numpy produced too.
"""
import argparse
import os
import pickle
import struct

import numpy as np

LABEL_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer",
               b"dog", b"frog", b"horse", b"ship", b"truck"]

# --learnable: one colour (R, G, B) a class, far enough apart for the noise.
COLOURS = [(200, 40, 40), (40, 200, 40), (40, 40, 200), (200, 200, 40), (200, 40, 200),
           (40, 200, 200), (120, 120, 120), (230, 230, 230), (20, 20, 20), (120, 40, 200)]


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


def batch(rng, n, learnable):
    """The pixels (n rows of 3072 uint8) and labels of one batch."""
    if learnable:
        labels = [i % 10 for i in range(n)]
        # Rows are the red, green and blue planes of a 32x32 image.
        base = np.array([COLOURS[l] for l in labels], dtype=np.int64).repeat(1024, axis=1)
        noise = rng.randint(-30, 31, size=(n, 3072))
        return np.clip(base + noise, 0, 255).astype(np.uint8), labels
    data = rng.randint(0, 256, size=(n, 3072)).astype(np.uint8)
    return data, [int(x) for x in rng.randint(0, 10, size=n)]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--learnable", action="store_true", help="class i %% 10, that class's colour plus noise")
    p.add_argument("out")
    p.add_argument("n", type=int)
    p.add_argument("seed", type=int)
    a = p.parse_args()
    out, n = a.out, a.n
    rng = np.random.RandomState(a.seed)
    py = os.path.join(out, "cifar-10-batches-py")
    binary = os.path.join(out, "cifar-10-batches-bin")
    os.makedirs(py, exist_ok=True)
    os.makedirs(binary, exist_ok=True)
    names = ["data_batch_%d" % i for i in range(1, 6)] + ["test_batch"]
    for k, name in enumerate(names):
        data, labels = batch(rng, n, a.learnable)
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
