#!/usr/bin/env bash
# The one test command: builds (or reuses) the Go-built cluster toolchain, makes sure PostgreSQL is
# up, then runs every test project. Extra arguments go to vitest (e.g. a path filter).
set -euo pipefail
cd "$(dirname "$0")/.."
node infra/toolchain/ensure.mjs
DATABASE_URL="${DATABASE_URL:-$(bash scripts/ensure-postgres.sh)}"
export DATABASE_URL
exec npx vitest run "$@"
