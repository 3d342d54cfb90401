// A cluster whose address changes after a stack was last updated (a new endpoint, rotated
// certificates, a restarted local control plane on another port): refreshing, healing and
// destroying must reach it with the credentials the controller has now. The old address is a real
// TCP forwarder to the API server that is shut down; the engine and cluster are real.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import * as k8s from "@kubernetes/client-node";
import * as pulumiK8s from "@pulumi/kubernetes";
import { clusterProvider } from "@zhengyun/infra/components/provider";
import { afterAll, describe, expect, it } from "vitest";
import { SYSTEM_ID_ANNOTATION } from "../desired/build.js";
import { clusterIdentity, ensureNamespaceGone } from "../kube.js";
import { kubeClient, kubeconfigPath, namespaceGone, stateDir } from "../testing/fixtures.js";
import { destroyStack, upStack } from "./operations.js";
import { type ClusterConnection, providerProgram } from "./programs.js";
import type { PulumiHost } from "./workspace.js";

const kube = kubeClient();
const direct = readFileSync(kubeconfigPath(), "utf8");

/** A second address for the API server, which can be taken away. */
async function forwarder(target: URL): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The test cluster's kubeconfig with its server moved to `port` on the same host. */
function movedTo(port: number): string {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(direct);
  const clusters = kc.clusters.map((c) => {
    const url = new URL(c.server);
    url.port = String(port);
    return { ...c, server: url.origin };
  });
  const moved = new k8s.KubeConfig();
  moved.loadFromOptions({ clusters, users: kc.users, contexts: kc.contexts, currentContext: kc.currentContext });
  return moved.exportConfig();
}

function apiServer(): URL {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(direct);
  return new URL(kc.getCurrentCluster()!.server);
}

const suffix = randomBytes(4).toString("hex");

/** A namespace with one ConfigMap, as a system's stack holds them, through `connection`. */
const program = (namespace: string, connection: ClusterConnection) => async () => {
  const provider = clusterProvider("cluster", connection.kubeconfig, undefined, connection.identifier);
  const ns = new pulumiK8s.core.v1.Namespace("ns", { metadata: { name: namespace, annotations: { [SYSTEM_ID_ANNOTATION]: suffix } } }, { provider });
  new pulumiK8s.core.v1.ConfigMap("data", { metadata: { name: "data", namespace }, data: { v: "1" } }, { provider, dependsOn: [ns] });
};

/** Runs `work` with the cluster reachable at a second address, which is gone afterwards. */
async function throughOldAddress<T>(work: (kubeconfig: string) => Promise<T>): Promise<T> {
  const old = await forwarder(apiServer());
  try {
    return await work(movedTo(old.port));
  } finally {
    await old.close();
  }
}

const configMap = (namespace: string) => kube.core.readNamespacedConfigMap({ name: "data", namespace });

describe("a cluster reached at another address than the stack recorded", async () => {
  const state = await stateDir();
  const host: PulumiHost = { backendUrl: `file://${state.dir}`, passphrase: "moved-cluster-test", stateDir: state.dir };
  const project = "zhengyun-moved-test";
  const identifier = await clusterIdentity(kube.core);
  const namespaces: string[] = [];

  afterAll(async () => {
    for (const name of namespaces) await kube.core.deleteNamespace({ name }).catch(() => undefined);
    await state.remove();
  });

  it("takes the new address as an update: heals with a refresh, replaces nothing, destroys", async () => {
    const namespace = `zy-moved-${suffix}`;
    namespaces.push(namespace);
    const stack = `moved-${suffix}`;
    await throughOldAddress((kubeconfig) => upStack(host, project, stack, program(namespace, { kubeconfig, identifier })));
    expect((await configMap(namespace)).data).toEqual({ v: "1" });

    // Removed by hand while the recorded address is gone: a refreshing update restores it, and
    // the cluster's identity keeps the provider (and so every object) from being replaced.
    await kube.core.deleteNamespacedConfigMap({ name: "data", namespace });
    const healed = await upStack(host, project, stack, program(namespace, { kubeconfig: direct, identifier }), { refresh: true });
    expect(healed.changes).toMatchObject({ create: 1 });
    expect(healed.changes.replace).toBeUndefined();
    expect(healed.changes.delete).toBeUndefined();
    expect((await configMap(namespace)).data).toEqual({ v: "1" });

    await destroyStack(host, project, stack, providerProgram({ kubeconfig: direct, identifier }));
    await ensureNamespaceGone(kube.core, namespace, suffix, 60_000);
    expect(await namespaceGone(kube.core, namespace)).toBe(true);
  });

  it("rebuilds on a cluster with another identity", async () => {
    // The stack was last updated against a cluster that is gone (e.g. the local control plane was
    // removed and started afresh); its objects must now be made on this one.
    const namespace = `zy-moved-new-${suffix}`;
    namespaces.push(namespace);
    const stack = `moved-new-${suffix}`;
    await throughOldAddress((kubeconfig) =>
      upStack(host, project, stack, program(namespace, { kubeconfig, identifier: "kube-system:a-cluster-since-removed" })),
    );
    await kube.core.deleteNamespace({ name: namespace });
    await ensureNamespaceGone(kube.core, namespace, suffix, 60_000);

    await upStack(host, project, stack, program(namespace, { kubeconfig: direct, identifier }));
    expect((await configMap(namespace)).data).toEqual({ v: "1" });
    // The stack is sound again: a refreshing update finds nothing to do.
    const again = await upStack(host, project, stack, program(namespace, { kubeconfig: direct, identifier }), { refresh: true });
    expect(Object.keys(again.changes).filter((k) => k !== "same")).toEqual([]);
  });

  it("still releases a stack recorded without the identity once its recorded address is gone", async () => {
    const namespace = `zy-moved-old-${suffix}`;
    namespaces.push(namespace);
    const stack = `moved-old-${suffix}`;
    await throughOldAddress((kubeconfig) => upStack(host, project, stack, program(namespace, { kubeconfig, identifier: undefined })));
    expect((await configMap(namespace)).data).toEqual({ v: "1" });

    // The engine deletes through the address in its state: the objects leave the state, and the
    // namespace is removed with today's credentials, as a release does.
    await destroyStack(host, project, stack, providerProgram({ kubeconfig: direct, identifier }));
    expect(await ensureNamespaceGone(kube.core, namespace, suffix, 60_000)).toBe(true);
    expect(await namespaceGone(kube.core, namespace)).toBe(true);
  });
});
