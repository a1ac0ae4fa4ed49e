"""Makes the damaged files of scripts/mutation_campaign.sh.

    mutate.py OUT_DIR N

OUT_DIR/sd.pt: a state_dict as torch.save writes it (a Linear(64, 32), a
BatchNorm1d(32) and a 3-D tensor, 9 tensors); OUT_DIR/ts.pt: a scripted
module (torch.jit.save) of the same layers. Then N mutants of each, in two
kinds, half each:

- raw: 1 to 4 bytes of the file changed, deleted or inserted anywhere
  (most hit a zip checksum or header);
- record: 1 to 4 bytes of one record (data.pkl, a storage, code, version,
  constants.pkl) changed, deleted or inserted, and the zip rebuilt with
  right checksums, as a hostile file would be.

Seeded (random.seed(N)): the same N gives the same files.
"""
import os
import random
import sys
import zipfile

import torch

out, n = sys.argv[1], int(sys.argv[2])
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)


class M(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(64, 32)
        self.bn = torch.nn.BatchNorm1d(32)
        self.register_buffer("extra", torch.randn(2, 3, 4))

    def forward(self, x):
        return self.bn(self.fc(x))


m = M()
torch.save(m.state_dict(), f"{out}/sd.pt")
torch.jit.script(m).save(f"{out}/ts.pt")
random.seed(n)


def mutate(b):
    b = bytearray(b)
    for _ in range(random.randint(1, 4)):
        if not b:
            break
        i, op = random.randrange(len(b)), random.random()
        if op < 0.6:
            b[i] = random.randrange(256)
        elif op < 0.8:
            del b[i]
        else:
            b.insert(i, random.randrange(256))
    return bytes(b)


for base in ["sd", "ts"]:
    src = f"{out}/{base}.pt"
    raw = open(src, "rb").read()
    z = zipfile.ZipFile(src)
    records = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    for k in range(n):
        path = f"{out}/{base}-{k:05d}.pt"
        if k % 2 == 0:
            open(path, "wb").write(mutate(raw))
            continue
        j = random.randrange(len(records))
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as w:
            for i, (name, data) in enumerate(records):
                w.writestr(name, mutate(data) if i == j else data)
