#!/usr/bin/env bash
# One command from a fresh clone: installs pnpm (through npm) and the workspace, then runs the demo.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "12.4.2" ]; then
  npm install -g pnpm@12.4.2
fi
pnpm install --frozen-lockfile
pnpm demo
