// The README's usage example, kept runnable: a tiny classifier trained with tsorch's nn, autograd and optim.

import * as torch from "tsorch";

const { nn, optim } = torch;
torch.manualSeed(0);

// Two Gaussian blobs, labels 0 and 1.
const x = torch.cat([torch.randn([64, 2]).sub(1), torch.randn([64, 2]).add(1)]);
const y = torch.cat([torch.zeros([64], { dtype: "int64" }), torch.ones([64], { dtype: "int64" })]);

const model = new nn.Sequential(new nn.Linear(2, 16), new nn.ReLU(), new nn.Linear(16, 2));
const opt = new optim.AdamW(model.parameters(), { lr: 1e-2 });

for (let step = 0; step < 100; step++) {
  torch.scope(() => {
    opt.zeroGrad();
    const loss = nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
    if (step % 25 === 0) console.log(`step ${step}: loss ${(loss.itemSync() as number).toFixed(4)}`);
  });
}
const acc = torch.noGrad(() => model.forward(x).argmax(-1).eq(y).float().mean());
console.log(`accuracy ${(acc.itemSync() as number).toFixed(3)}`);
console.log(model.toString());
