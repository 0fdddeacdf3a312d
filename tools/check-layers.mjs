// Layer check: every package may depend only on packages of lower layers (DESIGN.md's table) and only through their public entries.
import { readFileSync, readdirSync, existsSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pkgsDir = join(root, "packages");

/** Layer of each package, and what it may import (besides itself). `any` packages may import nothing of tsorch. */
export const LAYERS = {
  "@tsorch/tensor": { layer: 0, allowed: [] },
  "@tsorch/backend-webgpu": { layer: 1, allowed: ["@tsorch/tensor/backend"] },
  "@tsorch/backend-cuda": { layer: 1, allowed: ["@tsorch/tensor/backend"] },
  "@tsorch/backend-cpu": { layer: 1, allowed: ["@tsorch/tensor/backend"] },
  "@tsorch/autograd": { layer: 2, allowed: ["@tsorch/tensor"] },
  "@tsorch/nn": { layer: 3, allowed: ["@tsorch/tensor", "@tsorch/autograd"] },
  "@tsorch/optim": { layer: 3, allowed: ["@tsorch/tensor", "@tsorch/autograd"] },
  "@tsorch/tokenizers": { layer: -1, allowed: [] },
  "@tsorch/transformers": {
    layer: 4,
    allowed: ["@tsorch/tensor", "@tsorch/autograd", "@tsorch/nn", "@tsorch/optim", "@tsorch/tokenizers"],
  },
  "@tsorch/trainer": {
    layer: 5,
    allowed: ["@tsorch/tensor", "@tsorch/autograd", "@tsorch/nn", "@tsorch/optim", "@tsorch/tokenizers", "@tsorch/transformers"],
  },
  tsorch: { layer: 6, allowed: ["@tsorch/tensor", "@tsorch/autograd", "@tsorch/nn", "@tsorch/optim", "@tsorch/backend-cpu"] },
};

/**
 * Tests may use the tensor package (its user API, its layer-author API in /dispatch, its conformance suite and vitest
 * adapter), autograd, and the WebGPU backend, to check kernels and training end to end on every available device.
 */
const TEST_ONLY_ALLOWED = ["@tsorch/tensor", "@tsorch/tensor/dispatch", "@tsorch/tensor/testing", "@tsorch/tensor/testing/vitest", "@tsorch/autograd", "@tsorch/backend-webgpu"];

const errors = [];
const files = (dir) =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    if (n === "node_modules" || n === "dist") return [];
    return statSync(p).isDirectory() ? files(p) : /\.(ts|mts|js|mjs)$/.test(n) ? [p] : [];
  });

const baseOf = (spec) => (spec.startsWith("@tsorch/") || spec === "tsorch" || spec.startsWith("tsorch/") ? spec : null);

for (const dir of existsSync(pkgsDir) ? readdirSync(pkgsDir) : []) {
  const pj = join(pkgsDir, dir, "package.json");
  if (!existsSync(pj)) continue;
  const pkg = JSON.parse(readFileSync(pj, "utf8"));
  const rule = LAYERS[pkg.name];
  if (!rule) {
    errors.push(`${pkg.name} (packages/${dir}) is not in the layer table of tools/check-layers.mjs: add it with its layer and allowed imports (DESIGN.md).`);
    continue;
  }
  const allowedPkgs = new Set(rule.allowed.map((s) => s.replace(/\/backend$/, "")));
  for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
    for (const dep of Object.keys(pkg[field] ?? {})) {
      if (LAYERS[dep] && !allowedPkgs.has(dep))
        errors.push(`${pkg.name} lists ${dep} in ${field}, but layer ${rule.layer} may only depend on: ${rule.allowed.join(", ") || "nothing of tsorch"}.`);
    }
  }
  const srcDir = join(pkgsDir, dir, "src");
  if (!existsSync(srcDir)) continue;
  for (const f of files(srcDir)) {
    const text = readFileSync(f, "utf8");
    const isTest = /\.test\.ts$/.test(f) || f.includes(`${"/"}testing${"/"}`);
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)["']([^"']+)["']/g)) {
      const spec = m[1];
      const rel = relative(root, f);
      if (spec.startsWith(".")) {
        const target = join(f, "..", spec);
        if (!target.startsWith(join(pkgsDir, dir) + "/"))
          errors.push(`${rel} imports ${spec}, which reaches outside its package: import the other package by name.`);
        continue;
      }
      const b = baseOf(spec);
      if (!b) continue;
      const name = b.startsWith("@tsorch/") ? b.split("/").slice(0, 2).join("/") : "tsorch";
      if (name === pkg.name) continue;
      if (/\/src\//.test(spec) || /\/internal/.test(spec))
        errors.push(`${rel} imports ${spec}: another package's internals. Use its public entry.`);
      // A package allowed as a whole may be imported through any public subpath; one allowed by subpath only through that.
      const ok = rule.allowed.includes(spec) || rule.allowed.includes(name) || (isTest && TEST_ONLY_ALLOWED.includes(spec));
      if (!ok)
        errors.push(`${rel} imports ${spec}, but ${pkg.name} (layer ${rule.layer}) may only import: ${rule.allowed.join(", ") || "nothing of tsorch"}.`);
    }
  }
}

if (errors.length) {
  console.error(`layer check: ${errors.length} problem(s)\n  ` + errors.join("\n  "));
  process.exit(1);
}
console.log("layer check: ok");
