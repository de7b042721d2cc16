#!/usr/bin/env bash
# `npm test`: every check CI runs, in order, stopping at the first that fails.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() {
  printf '\n==> %s\n\n' "$1"
}

section "System dependencies (Chromium, PostgreSQL 15)"
bash scripts/ensure-system-deps.sh

section "Lint (eslint)"
npx eslint .

section "Type check (tsc)"
npx tsc --noEmit

section "Unit and database tests (vitest)"
npx vitest run

section "Build (next build)"
npx next build

section "Browser bundle (no table definitions)"
node --import tsx scripts/check-browser-bundle.ts

shopt -s nullglob
specs=(e2e/*.spec.ts)
shopt -u nullglob
if ((${#specs[@]} == 0)); then
  section "End-to-end tests (playwright): skipped, e2e/ has no *.spec.ts yet"
else
  section "End-to-end tests (playwright)"
  npx playwright test
fi

section "All checks passed"
