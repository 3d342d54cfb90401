// The unified internet egress in the cluster, judged by real connections on the node: the
// controller provisions an external-zone system A (allow-list: one host of the test's "internet"),
// an external-zone system B (another host, 1 Mbps) and an internal-zone system C; the gateway
// (Debian's Squid, two replicas in `zhengyun-egress`) is rendered from the approved grants and
// rolled out with its configuration in a Secret; "the internet" is a probe serving HTTP in a
// network namespace of its own (198.51.100.10, TEST-NET-2, behind a veth pair on this machine).
// Probe pods in the three systems try the gateway and the internet directly; every line the
// gateway pods log reaches PostgreSQL through the controller's collector. A's release is proved on
// the gateway's side while A's own pod still runs: the rendered configuration, the Service and the
// port's NetworkPolicy lose A's port, no gateway pod listens on it any more, and A's pod is refused.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { dirname, join } from "node:path";
import type * as k8s from "@kubernetes/client-node";
import type { Controller } from "@zhengyun/controller/controller";
import { ClusterGateway, GATEWAY_SERVICE, portPolicyName } from "@zhengyun/controller/egress/cluster";
import { EgressLogCollector } from "@zhengyun/controller/egress/ingest";
import { EgressService, egressMetrics, loadEgressConfig } from "@zhengyun/controller/egress/service";
import {
  eventually,
  isolatedDatabase,
  kubeClient,
  namespaceGone,
  startController,
  stateDir,
  testConfig,
  untilActive,
} from "@zhengyun/controller/testing/fixtures";
import { egressConnections } from "@zhengyun/db/schema";
import { PLATFORM_PROBE, PROBE_IMAGE } from "@zhengyun/infra/cluster/images";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { httpGet, httpGetAnswered, untilFirewalled, untilRunning } from "@zhengyun/infra/cluster/pods";
import { EGRESS_GATEWAY_IMAGE, PLATFORM_EGRESS_GATEWAY } from "@zhengyun/infra/cluster/rootfs";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { Kube, loadKubeConfig } from "@zhengyun/policies/kube";
import { EGRESS_NAMESPACE } from "@zhengyun/policies/model/labels";
import { makeOrg } from "@zhengyun/portal/test/harness";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const kube = kubeClient();
const PROBE_PORT = 8080;
const INTERNET = { host: "198.51.100.1", net: "198.51.100.10", prefix: 24 };
const ALLOWED = "api.open-data.example.com";
const OTHER = "files.example.org";
const BIG = 1_500_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function podBody(level: 2 | 3, name: string, digest: string): k8s.V1Pod {
  const spec = structuredClone(compliantPodSpec(level));
  const container = spec.containers[0] as k8s.V1Container;
  container.image = `${PLATFORM_PROBE}@${digest}`;
  container.imagePullPolicy = "IfNotPresent";
  container.args = ["serve", String(PROBE_PORT)];
  container.resources = { limits: { cpu: "100m", memory: "64Mi" } };
  return { metadata: { name, labels: { app: "web" } }, spec };
}

/**
 * One GET of `url` through the proxy at `host:port`, made from this machine (the node): "status <code>
 * <body bytes>" like the probe's answer, or "error: <code>" when no connection is made.
 */
function proxiedGet(host: string, port: number, url: string, timeoutMs = 4_000): Promise<string> {
  return new Promise((resolve) => {
    const req = request({ host, port, path: url, headers: { host: new URL(url).host }, timeout: timeoutMs }, (res) => {
      let bytes = 0;
      res.on("data", (c: Buffer) => (bytes += c.length));
      res.on("end", () => resolve(`status ${res.statusCode} ${bytes}`));
    });
    req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "ETIMEDOUT" })));
    req.on("error", (err: NodeJS.ErrnoException) => resolve(`error: ${err.code ?? err.message}`));
    req.end();
  });
}

/** The test's "internet": a network namespace with a veth pair to this machine and the probe serving HTTP on port 80. */
class Internet {
  readonly ns = `zy-inet-${randomBytes(3).toString("hex")}`;
  readonly hostIf = `zyi${randomBytes(3).toString("hex")}h`;
  private server: ChildProcess | undefined;

  constructor(private readonly probeBinary: string) {}

  up(): void {
    const ip = (...args: string[]) => execFileSync("ip", args, { stdio: "pipe" });
    ip("netns", "add", this.ns);
    ip("link", "add", this.hostIf, "type", "veth", "peer", "name", "inet0", "netns", this.ns);
    ip("addr", "add", `${INTERNET.host}/${INTERNET.prefix}`, "dev", this.hostIf);
    ip("link", "set", this.hostIf, "up");
    ip("-n", this.ns, "addr", "add", `${INTERNET.net}/${INTERNET.prefix}`, "dev", "inet0");
    ip("-n", this.ns, "link", "set", "inet0", "up");
    ip("-n", this.ns, "link", "set", "lo", "up");
    ip("-n", this.ns, "route", "add", "default", "via", INTERNET.host);
    this.server = spawn("ip", ["netns", "exec", this.ns, this.probeBinary, "serve", "80"], { stdio: "ignore" });
  }

  /** GET from this machine (not through the cluster), to know the server is up. */
  async ready(): Promise<void> {
    const r = await httpGetAnswered(`http://${INTERNET.net}/`, 30_000);
    if (r.status !== 200) throw new Error(`the internet host does not answer: ${r.status} ${r.body}`);
  }

  down(): void {
    this.server?.kill("SIGKILL");
    try {
      execFileSync("ip", ["link", "del", this.hostIf], { stdio: "ignore" });
    } catch {}
    try {
      execFileSync("ip", ["netns", "del", this.ns], { stdio: "ignore" });
    } catch {}
  }
}

interface Attempt {
  from: string;
  what: string;
  result: string;
}

describe("the unified egress on the node", async () => {
  const node = inject("node");
  const probe = node.images.find((i) => i.ref === PROBE_IMAGE.ref);
  const gatewayImage = node.images.find((i) => i.ref === EGRESS_GATEWAY_IMAGE.ref);
  const isolated = await isolatedDatabase();
  const database = isolated.database;
  const internet = new Internet(join(dirname(probe?.archive ?? "."), "probe"));
  const collector = new EgressLogCollector(database.db);
  const objects = new Kube(loadKubeConfig(process.env.KUBECONFIG));
  let controller: Controller | undefined;
  let state: Awaited<ReturnType<typeof stateDir>>;
  let gateway: ClusterGateway;
  let service: EgressService;
  const registry = new Registry();
  const created: { namespace: string; name: string }[] = [];
  const attempts: Attempt[] = [];

  beforeAll(async () => {
    state = await stateDir();
    internet.up();
    await internet.ready();
    const address = await collector.listen(node.ip);
    gateway = new ClusterGateway(
      objects,
      {
        image: `${PLATFORM_EGRESS_GATEWAY}@${gatewayImage?.digest}`,
        collector: `${address.host}:${address.port}`,
        hosts: `${INTERNET.net} ${ALLOWED} ${OTHER}\n`,
        shutdownSeconds: 30,
      },
      collector,
    );
    service = new EgressService(database.db, loadEgressConfig({ ZHENGYUN_EGRESS: "local" }), gateway, egressMetrics(registry));
    // The node's storage classes name its own provisioner (immutable once created by an earlier test).
    controller = await startController(database, testConfig(isolated.url, state.dir, { concurrency: 3, storageProvisioner: LOCAL_STORAGE_PROVISIONER }));
  }, 180_000);

  afterAll(async () => {
    for (const p of created) await kube.core.deleteNamespacedPod({ ...p, gracePeriodSeconds: 0 }).catch(() => {});
    await gateway?.remove().catch(() => {});
    await controller?.stop(10_000);
    await collector.close();
    internet.down();
    await isolated.drop();
    await state?.remove();
  }, 120_000);

  const org = await makeOrg(database);

  async function file(level: 2, zone: "external" | "internal", egress: { host: string; port: number }[], mbps: number) {
    const system = await org.newSystem(level, zone);
    const req = await org.as("applicant").requests.create({
      systemId: system.id,
      kind: "new",
      resources: { vcpu: 1, memory_gib: 1, storage_standard_gib: 1, ...(mbps ? { egress_mbps: mbps } : {}) },
      egress,
      justification: "访问互联网上的数据接口",
      submit: true,
    });
    await org.as("deptAdmin").requests.approve({ id: req.id });
    await org.as("ops").requests.approve({ id: req.id });
    return { system, request: req };
  }

  /** One HTTP GET made by the probe inside `pod`, through `proxy` when given. */
  async function fetchFrom(pod: { ip: string }, url: string, proxy?: string, ms = 4_000): Promise<string> {
    const q = new URLSearchParams({ url, ms: String(ms), ...(proxy ? { proxy } : {}) });
    const r = await httpGet(`http://${pod.ip}:${PROBE_PORT}/fetch?${q}`, ms + 10_000);
    if (r.status !== 200) throw new Error(`probe did not answer: ${r.status} ${r.body}`);
    return r.body.trim();
  }

  it("lets an external-zone system out only through its own gateway port, to its own allow-list", async () => {
    const a = await file(2, "external", [{ host: ALLOWED, port: 80 }], 100);
    const b = await file(2, "external", [{ host: OTHER, port: 80 }], 1);
    const c = await file(2, "internal", [], 0);
    for (const f of [a, b, c]) await untilActive(database, f.request.id, 300_000);

    const synced = await service.syncGateway();
    expect(synced?.result).toBe("started");
    const portOf = (systemId: string) => synced?.rendered.ports.find((p) => p.systemId === systemId)?.port ?? 0;
    const [portA, portB] = [portOf(a.system.id), portOf(b.system.id)];
    expect(portA).toBeGreaterThan(0);
    expect(portB).toBeGreaterThan(0);
    // The internal-zone system has no port (the ports' order is the renderer's, not the filing order).
    expect(synced?.rendered.ports.map((p) => p.systemId).sort()).toEqual([a.system.id, b.system.id].sort());
    console.log(`[egress] rendered gateway configuration (in Secret ${EGRESS_NAMESPACE}/zhengyun-egress-gateway-config):\n${synced?.rendered.config}`);

    const svc = await kube.core.readNamespacedService({ namespace: EGRESS_NAMESPACE, name: GATEWAY_SERVICE });
    const gw = svc.spec?.clusterIP ?? "";
    const gatewayPods = (await kube.core.listNamespacedPod({ namespace: EGRESS_NAMESPACE })).items.filter((p) => p.status?.phase === "Running");
    expect(gatewayPods).toHaveLength(2);
    // Every refusal below is the data plane's only once kube-router has put the pod behind its
    // firewall (a new pod is open until then; on a node already holding many pods and policies that
    // takes longer): each gateway and probe pod is waited for before anything is tried.
    const firewallWaits: string[] = [];
    const firewalled = async (pod: k8s.V1Pod) => {
      const since = performance.now();
      const who = { namespace: pod.metadata?.namespace ?? "", name: pod.metadata?.name ?? "", ip: pod.status?.podIP ?? "" };
      await untilFirewalled(who);
      firewallWaits.push(`${who.namespace}/${who.name} ${((performance.now() - since) / 1000).toFixed(1)} s`);
    };
    for (const p of gatewayPods) await firewalled(p);

    const pods: Record<"a" | "b" | "c", { ip: string; namespace: string }> = {} as never;
    for (const f of [a, b, c]) {
      const namespace = f.system.namespace;
      for (;;) {
        try {
          await kube.core.createNamespacedPod({ namespace, body: podBody(2, "web", probe?.digest ?? "") });
          created.push({ namespace, name: "web" });
          break;
        } catch (err) {
          if (!String(err).includes("serviceaccount")) throw err;
          await sleep(200);
        }
      }
    }
    for (const [key, f] of [
      ["a", a],
      ["b", b],
      ["c", c],
    ] as const) {
      const pod = await untilRunning(kube.core, f.system.namespace, "web");
      pods[key] = { ip: pod.status?.podIP ?? "", namespace: f.system.namespace };
      await firewalled(pod);
      await httpGetAnswered(`http://${pods[key].ip}:${PROBE_PORT}/`);
    }
    console.log(`[egress] waited for the node's firewall to cover each pod (after it was Running): ${firewallWaits.join(", ")}`);

    const tryIt = async (from: string, what: string, pod: { ip: string }, url: string, proxy?: string) => {
      const result = await fetchFrom(pod, url, proxy);
      attempts.push({ from, what, result });
      return result;
    };
    // The first allowed request is retried until it passes (the gateway pods may still be binding their ports).
    let first = "";
    for (let i = 0; i < 30 && !first.startsWith("status 200"); i++) {
      first = await fetchFrom(pods.a, `http://${ALLOWED}/`, `${gw}:${portA}`);
      if (!first.startsWith("status 200")) await sleep(1_000);
    }
    attempts.push({ from: "A (external)", what: `${ALLOWED}:80 via its port ${portA}`, result: first });
    expect(first).toMatch(/^status 200 /);
    expect(await tryIt("A (external)", `${OTHER}:80 via its port ${portA}`, pods.a, `http://${OTHER}/`, `${gw}:${portA}`)).toMatch(/^status 403 /);
    expect(await tryIt("A (external)", `${ALLOWED}:8080 via its port ${portA}`, pods.a, `http://${ALLOWED}:8080/`, `${gw}:${portA}`)).toMatch(/^status 403 /);
    expect(await tryIt("A (external)", `${ALLOWED}:80 via the common port 3128`, pods.a, `http://${ALLOWED}/`, `${gw}:3128`)).toMatch(/^status 403 /);
    expect(await tryIt("A (external)", `${OTHER}:80 via B's port ${portB}`, pods.a, `http://${OTHER}/`, `${gw}:${portB}`)).toMatch(/^error: /);
    expect(await tryIt("A (external)", `${INTERNET.net}:80 directly`, pods.a, `http://${INTERNET.net}/`)).toMatch(/^error: /);
    expect(await tryIt("B (external)", `${OTHER}:80 via its port ${portB}`, pods.b, `http://${OTHER}/`, `${gw}:${portB}`)).toMatch(/^status 200 /);
    expect(await tryIt("B (external)", `${ALLOWED}:80 via A's port ${portA}`, pods.b, `http://${ALLOWED}/`, `${gw}:${portA}`)).toMatch(/^error: /);
    expect(await tryIt("C (internal)", `${ALLOWED}:80 via A's port ${portA}`, pods.c, `http://${ALLOWED}/`, `${gw}:${portA}`)).toMatch(/^error: /);
    expect(await tryIt("C (internal)", `${ALLOWED}:80 via the common port 3128`, pods.c, `http://${ALLOWED}/`, `${gw}:3128`)).toMatch(/^error: /);
    expect(await tryIt("C (internal)", `${INTERNET.net}:80 directly`, pods.c, `http://${INTERNET.net}/`)).toMatch(/^error: /);

    // B's grant (1 Mbps) measured in the cluster; during the download A is released, which rolls the
    // gateway out to a configuration without A's port: the download on the old pod is not cut.
    //
    // What the release must prove: the gateway stops admitting A the moment the release is approved,
    // whether or not A's workloads are gone yet. The gateway's input is the approved grant in
    // PostgreSQL; A's namespace (and its pods) is deleted later, by the controller's reconcile of the
    // release. So the controller is stopped before the release is approved: A's pod, the very source
    // the gateway used to admit, outlives the approval deterministically and tries its former port
    // once more (the window in which a slow or failed namespace deletion would leave it running).
    // Then the controller finishes the release and A's namespace goes.
    const started = performance.now();
    const download = fetchFrom(pods.b, `http://${OTHER}/bytes?n=${BIG}`, `${gw}:${portB}`, 60_000);
    await Promise.all([controller?.stop(10_000), sleep(2_000)]);
    controller = undefined;
    const release = await org
      .as("applicant")
      .requests.create({ systemId: a.system.id, kind: "release", resources: {}, egress: [], justification: "系统下线", submit: true });
    await org.as("deptAdmin").requests.approve({ id: release.id });
    await org.as("ops").requests.approve({ id: release.id });
    const podsBefore = new Set(gatewayPods.map((p) => p.metadata?.name));
    const rolled = await service.syncGateway();
    const rolledAt = (performance.now() - started) / 1000;
    expect(rolled?.result).toBe("reconfigured");
    expect(rolled?.rendered.ports.map((p) => p.systemId)).toEqual([b.system.id]);
    expect(rolled?.rendered.config).not.toContain(a.system.namespace);
    expect(rolled?.rendered.config).not.toMatch(new RegExp(`^http_port ${portA} `, "m"));
    const downloaded = await download;
    const seconds = (performance.now() - started) / 1000;
    attempts.push({ from: "B (external)", what: `${BIG} bytes from ${OTHER} via its port during the rollout`, result: downloaded });
    expect(downloaded).toBe(`status 200 ${BIG}`);
    const mbps = BIG / seconds / 125_000;
    console.log(
      `[egress] bandwidth in the cluster: ${BIG} bytes in ${seconds.toFixed(2)} s = ${mbps.toFixed(3)} Mbps at a 1 Mbps grant (B); the rollout without A finished ${rolledAt.toFixed(2)} s after the download began`,
    );
    console.log(`[egress] gateway configuration after A's release (in Secret ${EGRESS_NAMESPACE}/zhengyun-egress-gateway-config):\n${rolled?.rendered.config}`);
    expect(mbps).toBeGreaterThan(0.75);
    expect(mbps).toBeLessThan(1.25);
    const podsAfter = (await kube.core.listNamespacedPod({ namespace: EGRESS_NAMESPACE })).items.filter(
      (p) => p.status?.phase === "Running" && !p.metadata?.deletionTimestamp,
    );
    expect(podsAfter).toHaveLength(2);
    expect(podsAfter.some((p) => podsBefore.has(p.metadata?.name))).toBe(false);

    // A's access is gone on the gateway's side: no port in the configuration, the Service or a policy.
    expect(
      (await objects.read({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name: portPolicyName(portA), namespace: EGRESS_NAMESPACE })) ?? null,
    ).toBeNull();
    const svcAfter = await kube.core.readNamespacedService({ namespace: EGRESS_NAMESPACE, name: GATEWAY_SERVICE });
    expect(svcAfter.spec?.ports?.map((p) => p.port)).not.toContain(portA);
    // And no gateway pod listens on A's former port: tried from the node, which every pod's
    // NetworkPolicy admits (kubelet probes), so a refusal is the missing listener, not a policy. The
    // same pods answer the node on B's port, so the node's tries do reach them.
    for (const p of podsAfter) {
      const ip = p.status?.podIP ?? "";
      const former = await proxiedGet(ip, portA, `http://${ALLOWED}/`);
      attempts.push({ from: "node", what: `${ALLOWED}:80 via gateway pod ${ip}:${portA} (A's former port)`, result: former });
      expect(former).toBe("error: ECONNREFUSED");
      const control = await proxiedGet(ip, portB, `http://${OTHER}/`);
      attempts.push({ from: "node", what: `${OTHER}:80 via gateway pod ${ip}:${portB} (B's port)`, result: control });
      expect(control).toMatch(/^status 200 /);
    }
    // A's pod, still running (its namespace is deleted only by the release's reconcile), is refused
    // through the Service and on each gateway pod directly; B still goes out.
    const stillThere = await kube.core.readNamespacedPod({ namespace: pods.a.namespace, name: "web" });
    expect(stillThere.status?.phase).toBe("Running");
    expect(stillThere.metadata?.deletionTimestamp).toBeUndefined();
    expect(await tryIt("A (released)", `${ALLOWED}:80 via its former port ${portA}`, pods.a, `http://${ALLOWED}/`, `${gw}:${portA}`)).toMatch(/^error: /);
    for (const p of podsAfter) {
      const ip = p.status?.podIP ?? "";
      expect(await tryIt("A (released)", `${ALLOWED}:80 via gateway pod ${ip}:${portA}`, pods.a, `http://${ALLOWED}/`, `${ip}:${portA}`)).toMatch(/^error: /);
    }
    expect(await tryIt("B (external)", `${OTHER}:80 via its port ${portB}`, pods.b, `http://${OTHER}/`, `${gw}:${portB}`)).toMatch(/^status 200 /);

    // The controller finishes the release: A's namespace, with its pod, is deleted.
    await kube.core.deleteNamespacedPod({ namespace: pods.a.namespace, name: "web", gracePeriodSeconds: 0 });
    controller = await startController(database, testConfig(isolated.url, state.dir, { concurrency: 3, storageProvisioner: LOCAL_STORAGE_PROVISIONER }));
    await untilActive(database, release.id, 300_000);
    await eventually(`namespace ${a.system.namespace} to be deleted`, () => namespaceGone(kube.core, a.system.namespace), 180_000, 1_000);

    // Every request that reached the gateway is in PostgreSQL, attributed by the port it arrived on.
    const expected = attempts.filter((t) => t.result.startsWith("status ")).length;
    let rows: (typeof egressConnections.$inferSelect)[] = [];
    for (let i = 0; i < 100; i++) {
      await service.ship();
      rows = await database.db.select().from(egressConnections);
      if (rows.length >= expected) break;
      await sleep(300);
    }
    const label = (systemId: string | null) => (systemId === a.system.id ? "A" : systemId === b.system.id ? "B" : "—");
    const log = rows
      .sort((x, y) => x.at.getTime() - y.at.getTime())
      .map((r) => `${label(r.systemId)} port ${r.gatewayPort} ${r.method} ${r.host}:${r.port} ${r.status} ${r.action} in ${r.bytesIn} B, ${r.durationMs} ms`);
    console.log(
      `[egress] attempts (status: answered by the gateway; error: no connection, refused by the data plane or no listener):\n${attempts
        .map((t) => `${t.from.padEnd(14)} ${t.what.padEnd(58)} ${t.result}`)
        .join(
          "\n",
        )}\n[egress] connection log in PostgreSQL (${rows.length} rows, from ${collector.stats.senders.size} gateway connections):\n${log.join("\n")}`,
    );
    const summary = rows.map((r) => `${label(r.systemId)} ${r.host}:${r.port} ${r.status}`).sort();
    expect(summary).toEqual(
      [
        `A ${ALLOWED}:80 200`,
        `A ${OTHER}:80 403`,
        `A ${ALLOWED}:8080 403`,
        `— ${ALLOWED}:80 403`,
        `B ${OTHER}:80 200`,
        `B ${OTHER}:80 200`,
        `B ${OTHER}:80 200`,
        // The node's two tries of B's port, one per gateway pod (attributed by the port).
        `B ${OTHER}:80 200`,
        `B ${OTHER}:80 200`,
      ].sort(),
    );
    for (const r of rows.filter((r) => r.systemId)) expect(r.departmentId).toBe(org.dept.id);
    expect(rows.find((r) => r.bytesIn >= BIG)?.systemId).toBe(b.system.id);
    const metrics = await registry.getSingleMetricAsString("zhengyun_egress_connections_total");
    expect(metrics).toContain(`zhengyun_egress_connections_total{system="${a.system.namespace}",action="denied"} 2`);
  }, 600_000);
});
