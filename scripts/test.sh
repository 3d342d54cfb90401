#!/usr/bin/env bash
# The one test command. A full run (no arguments) builds (or reuses) the Go-built cluster toolchain,
# makes sure PostgreSQL is up, type-checks every workspace and runs every test project. Extra
# arguments go to vitest (e.g. a path filter or `--project unit`); the cluster and node projects' own
# setups build the toolchain when a selected test needs it. The node project runs pods on a real
# node (root, and the Debian packages .ci/run installs). `npm run test:unit` needs nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then node infra/toolchain/ensure.mjs; fi
DATABASE_URL="${DATABASE_URL:-$(bash scripts/ensure-postgres.sh)}"
export DATABASE_URL
# A full run also type-checks every workspace (vitest strips types without checking them).
if [ $# -eq 0 ]; then npm run --silent typecheck; fi
exec npx vitest run "$@"
