# Reference numbers for src/mlp-sgd.test.ts: a small MLP trained by hand-written SGD in PyTorch (float32, one thread).
# Run: /usr/bin/python3 packages/autograd/tools/mlp-sgd-reference.py > packages/autograd/test-data/mlp-sgd.json
import json

import torch

torch.manual_seed(0)
torch.set_num_threads(1)

N, D, H1, H2, STEPS, LR = 32, 4, 16, 8, 25, 0.05

x = torch.randn(N, D)
y = (x[:, :1] * 1.5 - x[:, 1:2].pow(2) + 0.3 * torch.sin(3 * x[:, 2:3]) + 0.1 * torch.randn(N, 1))
params = {
    "w1": torch.randn(H1, D) * 0.5,
    "b1": torch.randn(H1) * 0.1,
    "w2": torch.randn(H2, H1) * 0.3,
    "b2": torch.randn(H2) * 0.1,
    "w3": torch.randn(1, H2) * 0.3,
    "b3": torch.zeros(1),
}
init = {k: v.tolist() for k, v in params.items()}
for p in params.values():
    p.requires_grad_()


def forward(x):
    h = torch.relu(torch.nn.functional.linear(x, params["w1"], params["b1"]))
    h = torch.tanh(torch.nn.functional.linear(h, params["w2"], params["b2"]))
    return torch.nn.functional.linear(h, params["w3"], params["b3"])


losses, first_grads = [], None
for step in range(STEPS):
    loss = torch.nn.functional.mse_loss(forward(x), y)
    loss.backward()
    losses.append(loss.item())
    if step == 0:
        first_grads = {k: v.grad.tolist() for k, v in params.items()}
    with torch.no_grad():
        for p in params.values():
            p -= LR * p.grad
            p.grad.zero_()

json.dump(
    {
        "about": "MLP 4-16(relu)-8(tanh)-1, MSE, plain SGD; made by tools/mlp-sgd-reference.py with torch " + torch.__version__,
        "lr": LR,
        "steps": STEPS,
        "x": x.tolist(),
        "y": y.tolist(),
        "init": init,
        "losses": losses,
        "firstGrads": first_grads,
        "final": {k: v.detach().tolist() for k, v in params.items()},
    },
    __import__("sys").stdout,
)
