# syntax=docker/dockerfile:1.7
#
# Zhengyun: one image for the portal, the controller and the migration Job (the Helm chart in
# charts/zhengyun picks the process with `args`).
#
#   docker build -t registry.zhengyun.gov.cn/zhengyun/zhengyun:0.1.0 .
#
# Without a daemon or a reachable registry (`npm run image:build -w infra`, infra/src/cluster/app-image.ts):
#   podman build --build-arg NODE_IMAGE=<a Debian bookworm image with node in /usr/local/bin> \
#     --build-context pulumi=<dir holding out/pulumi and out/pulumi-resource-kubernetes> .
# The named context replaces the `pulumi` stage (podman and BuildKit both let a build context
# override a stage of the same name), so the Go stage is skipped: the binaries must come from the
# same infra/toolchain modules built by the same script (the toolchain cache holds exactly those).
#
# Runs as uid/gid 10001 and needs no writable root filesystem: the chart mounts emptyDirs at
# /tmp (TypeScript loader cache, temp files) and /var/lib/zhengyun (the controller's Pulumi
# workspaces and home). Server code runs from TypeScript sources through tsx, as `npm start` does.

ARG NODE_IMAGE=node:20-bookworm-slim
# Must be at least every `go` directive in infra/toolchain/*/go.mod (the image pins GOTOOLCHAIN=local).
ARG GO_VERSION=1.26.8

# ---- The Pulumi CLI and Kubernetes provider, from the pinned Go modules in infra/toolchain -------
FROM ${NODE_IMAGE} AS node

FROM golang:${GO_VERSION}-bookworm AS pulumi
# The toolchain's own build script (plain Node, no dependencies) decides flags, -X versions and the
# provider's embedded schema, so these binaries are the ones the tests run against.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
ENV ZHENGYUN_TOOLCHAIN_DIR=/toolchain
WORKDIR /src
COPY infra/toolchain/ infra/toolchain/
# The control plane, the node and Helm are for tests only: build just pulumi and its provider.
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    set -eu; \
    bin="$(node infra/toolchain/ensure.mjs --bin-dir)"; \
    node infra/toolchain/ensure.mjs --only pulumi,pulumi-resource-kubernetes; \
    mkdir -p /out; \
    cp "$bin/pulumi" "$bin/pulumi-resource-kubernetes" /out/; \
    /out/pulumi version

# ---- Dependencies and the portal's UI bundle ------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY db/package.json db/
COPY portal/package.json portal/
COPY controller/package.json controller/
COPY infra/package.json infra/
COPY policies/package.json policies/
COPY cli/package.json cli/
# No install scripts: the Pulumi plugin installer would download a provider (the image has its own,
# built above), and esbuild's binary comes from its platform package.
RUN --mount=type=cache,target=/root/.npm \
    npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build:ui -w portal \
 && test -f portal/dist/ui/index.html

# ---- Runtime --------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="zhengyun" \
      org.opencontainers.image.description="Zhengyun (政云) government cloud resource management: portal and controller" \
      org.opencontainers.image.version="${VERSION}"

# tini reaps the Pulumi engine's plugin processes and forwards signals; CA certificates for
# PostgreSQL over TLS and the identity provider.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 zhengyun \
 && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin zhengyun

ENV NODE_ENV=production \
    HOME=/tmp \
    ZHENGYUN_TOOLCHAIN_DIR=/opt/zhengyun/toolchain \
    ZHENGYUN_CONTROLLER_STATE_DIR=/var/lib/zhengyun \
    PULUMI_SKIP_UPDATE_CHECK=true \
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true \
    HOST=0.0.0.0 \
    PORT=8080

COPY --from=pulumi /out/pulumi /out/pulumi-resource-kubernetes /usr/local/bin/
# Sources, dependencies and the built UI, owned by root: the application cannot change its own code.
COPY --from=build /app /app
WORKDIR /app
# The controller finds the Pulumi CLI where infra/src/toolchain.ts computes it (from
# ZHENGYUN_TOOLCHAIN_DIR and a hash of infra/toolchain): link the binaries there.
RUN set -eu; \
    bin="$(node infra/toolchain/ensure.mjs --bin-dir)"; \
    mkdir -p "$bin"; \
    ln -s /usr/local/bin/pulumi "$bin/pulumi"; \
    ln -s /usr/local/bin/pulumi-resource-kubernetes "$bin/pulumi-resource-kubernetes"; \
    install -d -o 10001 -g 10001 -m 0750 /var/lib/zhengyun

USER 10001:10001
# 9463: the portal's /metrics (set METRICS_HOST=0.0.0.0 to scrape it from outside); 9464: the controller's.
EXPOSE 8080 9463 9464
ENTRYPOINT ["/usr/bin/tini", "--"]
# The portal; the chart runs the controller with `node --import tsx controller/src/main.ts` and the
# migration with `node --import tsx db/src/migrate-cli.ts`.
CMD ["node", "--import", "tsx", "portal/src/server/main.ts"]
