"""Writes a small, learnable CIFAR-10 in the official Python version's format.

    python3 make_cifar10.py OUT N SEED

makes OUT/cifar-10-batches-py (data_batch_1..5, test_batch, batches.meta)
with N images per batch. Image i of a batch is of class i % 10 and is that
class's colour plus noise, so that a few epochs of the tutorial's MLP learn
it: the end-to-end test of cmd/cifar10 can then check that training works,
not only that it runs.

The official batches were written by Python 2's cPickle at protocol 2: the
dict keys, the array's bytes and the names are Python 2 strings
(SHORT_BINSTRING/BINSTRING), which Python 3's pickler would write as calls
to _codecs.encode instead; Py2Pickler writes them as Python 2 did (as
vision/datasets/testdata/make_cifar10.py does).
"""
import os
import pickle
import struct
import sys

import numpy as np

LABEL_NAMES = [b"airplane", b"automobile", b"bird", b"cat", b"deer",
               b"dog", b"frog", b"horse", b"ship", b"truck"]

# One colour (R, G, B) a class, far enough apart for the noise below.
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


def main():
    out, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = np.random.RandomState(seed)
    py = os.path.join(out, "cifar-10-batches-py")
    os.makedirs(py, exist_ok=True)
    names = ["data_batch_%d" % i for i in range(1, 6)] + ["test_batch"]
    for k, name in enumerate(names):
        labels = [i % 10 for i in range(n)]
        # Rows are the red, green and blue planes of a 32x32 image.
        base = np.array([COLOURS[l] for l in labels], dtype=np.int64).repeat(1024, axis=1)
        noise = rng.randint(-30, 31, size=(n, 3072))
        data = np.clip(base + noise, 0, 255).astype(np.uint8)
        label = ("testing batch 1 of 1" if name == "test_batch" else "training batch %d of 5" % (k + 1)).encode()
        dump({
            b"batch_label": label,
            b"labels": labels,
            b"data": data,
            b"filenames": [b"image_%d_%d.png" % (k, i) for i in range(n)],
        }, os.path.join(py, name))
    dump({b"num_cases_per_batch": n, b"label_names": LABEL_NAMES, b"num_vis": 3072},
         os.path.join(py, "batches.meta"))


if __name__ == "__main__":
    main()
