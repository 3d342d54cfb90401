#!/usr/bin/env bash
# The one test command: builds (or reuses) the Go-built cluster toolchain, makes sure PostgreSQL is
# up, then runs every test project. Extra arguments go to vitest (e.g. a path filter).
set -euo pipefail
cd "$(dirname "$0")/.."
node infra/toolchain/ensure.mjs
DATABASE_URL="${DATABASE_URL:-$(bash scripts/ensure-postgres.sh)}"
export DATABASE_URL
# A full run also type-checks every workspace (vitest strips types without checking them).
if [ $# -eq 0 ]; then npm run --silent typecheck; fi
exec npx vitest run "$@"
