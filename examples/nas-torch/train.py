"""An MLP on the bundled digits data in PyTorch (CPU), driven by `hone optimize`.

Architecture search (nas.yaml): the number of layers, the units of each layer (conditional on the number of layers),
the activation, dropout, learning rate, momentum and batch size come from the JSON file in HONE_PARAMS_FILE; the
validation accuracy is reported after each epoch (`hone:report`) so Hyperband can stop bad networks early.

Population-based training (pbt.yaml): the same script trains epochs HONE_START_STEP..HONE_END_STEP, starting from
the checkpoint in HONE_CHECKPOINT_IN (model and optimizer state; empty: from scratch) and saving to
HONE_CHECKPOINT_OUT. The learning rate and momentum PBT chose for the segment are set on the loaded optimizer, so
over the segments they form a schedule.

Run with Debian's python3-torch: /usr/bin/python3.
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
from torch import nn

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.environ["HONE_PARAMS_FILE"]) as f:
    p = json.load(f)

# Fixed architecture for PBT runs (pbt.yaml tunes only the optimizer): anything absent takes these values.
n_layers = int(p.get("n_layers", 2))
units = [int(p.get(f"units_l{i}", 64)) for i in range(n_layers)]
activation = {"relu": nn.ReLU, "tanh": nn.Tanh, "gelu": nn.GELU}[p.get("activation", "relu")]
dropout = float(p.get("dropout", 0.1))
lr = float(p["lr"])
momentum = float(p.get("momentum", 0.9))
batch_size = int(p.get("batch_size", 64))
start = int(os.environ.get("HONE_START_STEP", "0"))
end = int(os.environ.get("HONE_END_STEP", os.environ.get("EPOCHS", "20")))

with gzip.open(os.path.join(here, "..", "..", "data", "digits.csv.gz"), "rt") as f:
    data = np.loadtxt(f, delimiter=",")
x = torch.tensor(data[:, :-1] / 16.0, dtype=torch.float32)
y = torch.tensor(data[:, -1], dtype=torch.long)
order = np.random.RandomState(2024).permutation(len(y))  # the same split as examples/PbtDotnet
n_train, n_valid = len(y) * 6 // 10, len(y) * 2 // 10
train, valid, test = order[:n_train], order[n_train:n_train + n_valid], order[n_train + n_valid:]

torch.manual_seed(int(os.environ.get("HONE_TRIAL_NUMBER", "0")))
layers, width = [], 64
for u in units:
    layers += [nn.Linear(width, u), activation(), nn.Dropout(dropout)]
    width = u
model = nn.Sequential(*layers, nn.Linear(width, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

checkpoint_in = os.environ.get("HONE_CHECKPOINT_IN", "")
if checkpoint_in:
    state = torch.load(checkpoint_in)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    for group in optimizer.param_groups:  # PBT's hyperparameters for this segment replace the copied ones
        group["lr"], group["momentum"] = lr, momentum


def accuracy(rows):
    model.eval()
    with torch.no_grad():
        return (model(x[rows]).argmax(1) == y[rows]).float().mean().item()


loss_fn = nn.CrossEntropyLoss()
generator = torch.Generator().manual_seed(start)
acc = accuracy(valid)
for epoch in range(start, end):
    model.train()
    perm = torch.randperm(len(train), generator=generator)
    for i in range(0, len(train), batch_size):
        rows = train[perm[i:i + batch_size].numpy()]
        optimizer.zero_grad()
        loss = loss_fn(model(x[rows]), y[rows])
        if not torch.isfinite(loss):
            print("diverged", file=sys.stderr)
            sys.exit(1)
        loss.backward()
        optimizer.step()
    acc = accuracy(valid)
    print(f"hone:report step={epoch} value={acc:.6f}", flush=True)

checkpoint_out = os.environ.get("HONE_CHECKPOINT_OUT", "")
if checkpoint_out:
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict()}, checkpoint_out)
print(json.dumps({"accuracy": acc, "test_accuracy": accuracy(test)}))
