import * as ts from "@tsorch/tensor";
try { console.log(String(ts.randn([1_000_000]))); } catch (e) { console.log("ERR", (e as Error).message); }
console.log(String(ts.arange(0, 2000, 1, { dtype: "float32" })));
console.log(String(ts.tensor([1, 2000], { dtype: "float32" })));
console.log(String(ts.tensor([0, 1e-5, 1], { dtype: "float32" })));
console.log(String(ts.arange(0, 24, 1).view(2, 3, 4)));
console.log(String(ts.zeros([2, 0])));
console.log(String(ts.tensor([NaN, 1.5, -Infinity])));
