// A cluster whose address changes after a stack was last updated (a new endpoint, rotated
// certificates, a restarted local control plane on another port): refreshing, healing and
// destroying must reach it with the credentials the controller has now. The old address is a real
// TCP forwarder to the API server that is shut down; the engine and cluster are real.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import * as k8s from "@kubernetes/client-node";
import * as pulumiK8s from "@pulumi/kubernetes";
import { afterAll, describe, expect, it } from "vitest";
import { clusterProvider } from "../../../infra/src/components/provider.js";
import { SYSTEM_ID_ANNOTATION } from "../desired/build.js";
import { ensureNamespaceGone } from "../kube.js";
import { kubeClient, kubeconfigPath, namespaceGone, stateDir } from "../testing/fixtures.js";
import { destroyStack, upStack } from "./operations.js";
import { providerProgram } from "./programs.js";
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
const namespace = `zy-moved-${suffix}`;
const program = (kubeconfig: string) => async () => {
  const provider = clusterProvider("cluster", kubeconfig);
  const ns = new pulumiK8s.core.v1.Namespace("ns", { metadata: { name: namespace, annotations: { [SYSTEM_ID_ANNOTATION]: suffix } } }, { provider });
  new pulumiK8s.core.v1.ConfigMap("data", { metadata: { name: "data", namespace }, data: { v: "1" } }, { provider, dependsOn: [ns] });
};

describe("a cluster reached at another address than the stack recorded", async () => {
  const state = await stateDir();
  const host: PulumiHost = { backendUrl: `file://${state.dir}`, passphrase: "moved-cluster-test", stateDir: state.dir };
  const project = "zhengyun-moved-test";
  const stack = `moved-${suffix}`;

  afterAll(async () => {
    await kube.core.deleteNamespace({ name: namespace }).catch(() => undefined);
    await state.remove();
  });

  it("heals with a refresh, then destroys, through the address the controller has now", async () => {
    const old = await forwarder(apiServer());
    try {
      await upStack(host, project, stack, program(movedTo(old.port)));
    } finally {
      await old.close();
    }
    expect((await kube.core.readNamespacedConfigMap({ name: "data", namespace })).data).toEqual({ v: "1" });

    // Removed by hand while the recorded address is gone: a refreshing update restores it.
    await kube.core.deleteNamespacedConfigMap({ name: "data", namespace });
    const healed = await upStack(host, project, stack, program(direct), { refresh: true });
    expect(healed.changes.create).toBe(1);
    expect((await kube.core.readNamespacedConfigMap({ name: "data", namespace })).data).toEqual({ v: "1" });

    // The engine still deletes through the address in its state: the objects leave the state, and
    // the namespace is removed through today's address, as a release does.
    await destroyStack(host, project, stack, providerProgram(direct));
    expect(await ensureNamespaceGone(kube.core, namespace, suffix, 60_000)).toBe(true);
    expect(await namespaceGone(kube.core, namespace)).toBe(true);
  });
});
