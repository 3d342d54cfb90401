#!/usr/bin/env bash
# Builds Kyverno's admission controller and background controller once, for the reconcile
# benchmark's peer (`npm run bench:reconcile -w e2e -- --peer kyverno`). Not part of CI.
#
# The module's go.mod carries a replace directive, so `go install …@version` refuses it: the module
# is copied from the module cache into a writable directory and built there with its own go.mod.
# Gentle on a shared machine: nice 19, one compile at a time, GOMAXPROCS=1.
# Output: ~/.cache/zhengyun/peer/kyverno-<version>/{kyverno,background-controller,crds/,build.txt}
set -euo pipefail

VERSION="${KYVERNO_VERSION:-v1.19.1}"
OUT="${ZHENGYUN_PEER_DIR:-$HOME/.cache/zhengyun/peer}/kyverno-$VERSION"
if [[ -x "$OUT/kyverno" && -x "$OUT/background-controller" && -d "$OUT/crds" ]]; then
  echo "kyverno $VERSION: cached in $OUT"
  exit 0
fi

MODCACHE="$(go env GOMODCACHE)"
SRC="$MODCACHE/github.com/kyverno/kyverno@$VERSION"
if [[ ! -d "$SRC" ]]; then
  # Through the Go module proxy, like any module.
  (cd "$(mktemp -d)" && GOFLAGS=-mod=mod go mod download -x "github.com/kyverno/kyverno@$VERSION" >/dev/null)
fi

WORK="$OUT.src"
rm -rf "$WORK"
mkdir -p "$OUT"
cp -r "$SRC" "$WORK"
chmod -R u+w "$WORK"

started=$(date +%s)
cd "$WORK"
export GOMAXPROCS=1 GOFLAGS=-buildvcs=false CGO_ENABLED=0
nice -n 19 go mod download
ldflags="-s -w -X github.com/kyverno/kyverno/pkg/version.BuildVersion=$VERSION"
nice -n 19 go build -p 1 -trimpath -ldflags "$ldflags" -o "$OUT/kyverno.tmp" ./cmd/kyverno
nice -n 19 go build -p 1 -trimpath -ldflags "$ldflags" -o "$OUT/background-controller.tmp" ./cmd/background-controller
mv "$OUT/kyverno.tmp" "$OUT/kyverno"
mv "$OUT/background-controller.tmp" "$OUT/background-controller"
rm -rf "$OUT/crds"
cp -r config/crds "$OUT/crds"
ended=$(date +%s)

cd /
rm -rf "$WORK"
{
  echo "kyverno $VERSION built $(date -u +%FT%TZ) in $((ended - started)) s wall"
  echo "go: $(go version)"
  echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/build.txt"
