// Isolation proved by packets: systems of two departments, both zones and two levels are
// provisioned by the controller; a probe pod runs in each (two in one system); from every pod
// a real TCP connection is tried to every other pod, through the node's NetworkPolicy data
// plane (kube-router's iptables + ipset). The result must equal what the policy catalog
// says, as judged by the TypeScript evaluator over the NetworkPolicies read back from the
// API server. The matrix is printed. Then the same for the node itself (its address on the pods'
// bridge), the API server (the `kubernetes` Service) and the cluster DNS, from every probe pod and
// from a platform pod in kube-system; and a department that tries to widen its own isolation is
// refused by the API server, after which the packets show no opening.

import type * as k8s from "@kubernetes/client-node";
import { AppsV1Api } from "@kubernetes/client-node";
import type { Controller } from "@zhengyun/controller/controller";
import { isolatedDatabase, kubeClient, kubeconfigPath, startController, stateDir, testConfig, untilActive } from "@zhengyun/controller/testing/fixtures";
import { kubectl } from "@zhengyun/infra/chart/run";
import { API_RELAY_PORT, CLUSTER_DNS_IP } from "@zhengyun/infra/cluster/dns";
import { PLATFORM_PROBE, PROBE_IMAGE } from "@zhengyun/infra/cluster/images";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { httpGet, untilDnsReady, untilRunning } from "@zhengyun/infra/cluster/pods";
import { DEFAULT_DENY_POLICY } from "@zhengyun/policies/controls/network-default-deny/control";
import { DNS_NAMESPACE, DNS_POD_LABELS } from "@zhengyun/policies/controls/zone-egress/control";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { type Endpoint, evaluate, type PolicyLike } from "@zhengyun/policies/network/evaluate";
import { makeOrg, type Org, requestIn } from "@zhengyun/portal/test/harness";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const kube = kubeClient();
const PORT = 8080;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Zone = "internal" | "external";
interface SystemSpec {
  key: string;
  dept: "A" | "B";
  zone: Zone;
  level: 2 | 3;
  pods: string[];
}

/** Both zones, two levels, two departments; system A-ext-2 holds two pods (same-system pairs). */
const SYSTEMS: SystemSpec[] = [
  { key: "A-ext-L2", dept: "A", zone: "external", level: 2, pods: ["web", "web-2"] },
  { key: "A-ext-L3", dept: "A", zone: "external", level: 3, pods: ["web"] },
  { key: "A-int-L2", dept: "A", zone: "internal", level: 2, pods: ["web"] },
  { key: "B-ext-L2", dept: "B", zone: "external", level: 2, pods: ["web"] },
  { key: "B-int-L3", dept: "B", zone: "internal", level: 3, pods: ["web"] },
];

interface ProbePod {
  label: string;
  namespace: string;
  name: string;
  ip: string;
  endpoint: Endpoint;
}

function podBody(level: 2 | 3, name: string, digest: string): k8s.V1Pod {
  const spec = structuredClone(compliantPodSpec(level));
  const container = spec.containers[0] as k8s.V1Container;
  container.image = `${PLATFORM_PROBE}@${digest}`;
  container.imagePullPolicy = "IfNotPresent";
  container.args = ["serve", String(PORT)];
  container.resources = { limits: { cpu: "100m", memory: "64Mi" } };
  return { metadata: { name, labels: { app: "web" } }, spec };
}

/** One real TCP connection from `from` to `to`, made by the probe inside `from`'s pod. */
async function connects(from: ProbePod, to: ProbePod): Promise<boolean> {
  return connectsTo(from, `${to.ip}:${PORT}`);
}

/** One real TCP connection from the probe inside `from`'s pod to `address` (host:port). */
async function connectsTo(from: { label: string; ip: string }, address: string): Promise<boolean> {
  const r = await httpGet(`http://${from.ip}:${PORT}/connect?to=${address}&ms=1500`, 10_000);
  if (r.status !== 200) throw new Error(`probe ${from.label} did not answer: ${r.status} ${r.body}`);
  return r.body.trim() === "open";
}

async function inBatches<T, R>(items: readonly T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

function renderMatrix(pods: readonly ProbePod[], observed: Map<string, boolean>, expected: Map<string, boolean>): string {
  const width = Math.max(...pods.map((p) => p.label.length)) + 1;
  const head = `${"from \\ to".padEnd(width)}${pods.map((p) => p.label.padEnd(width)).join("")}`;
  const rows = pods.map((from) => {
    const cells = pods.map((to) => {
      if (from === to) return "—".padEnd(width);
      const key = `${from.label}>${to.label}`;
      const seen = observed.get(key) ? "open" : "drop";
      return `${seen}${observed.get(key) === expected.get(key) ? "" : "≠"}`.padEnd(width);
    });
    return `${from.label.padEnd(width)}${cells.join("")}`;
  });
  return [head, ...rows, "open/drop: what the data plane did; ≠: differs from the policy catalog's verdict"].join("\n");
}

describe("the packet matrix on the node", async () => {
  const node = inject("node");
  const probe = node.images.find((i) => i.ref === PROBE_IMAGE.ref);
  const isolated = await isolatedDatabase();
  const database = isolated.database;
  let controller: Controller;
  let state: Awaited<ReturnType<typeof stateDir>>;

  beforeAll(async () => {
    state = await stateDir();
    controller = await startController(database, testConfig(isolated.url, state.dir, { concurrency: 3, storageProvisioner: LOCAL_STORAGE_PROVISIONER }));
  }, 180_000);

  /** Probe pods, removed after the test so that the node's CPU is free for the next file. */
  const created: { namespace: string; name: string }[] = [];
  afterAll(async () => {
    for (const p of created) await kube.core.deleteNamespacedPod({ ...p, gracePeriodSeconds: 0 }).catch(() => {});
    await controller?.stop(10_000);
    await isolated.drop();
    await state?.remove();
  }, 60_000);

  const orgs: Record<"A" | "B", Org> = { A: await makeOrg(database), B: await makeOrg(database) };

  it("lets through exactly the connections the policy catalog allows", async () => {
    const filed = await Promise.all(SYSTEMS.map((s) => requestIn(orgs[s.dept], "provisioning", { level: s.level, zone: s.zone, vcpu: 1 })));
    for (const f of filed) await untilActive(database, f.request.id, 300_000);

    const pods: ProbePod[] = [];
    for (const [i, spec] of SYSTEMS.entries()) {
      const namespace = filed[i]!.system.namespace;
      for (const name of spec.pods) {
        // The namespace's default service account appears a moment after the namespace.
        for (;;) {
          try {
            await kube.core.createNamespacedPod({ namespace, body: podBody(spec.level, name, probe?.digest ?? "") });
            created.push({ namespace, name });
            break;
          } catch (err) {
            if (!String(err).includes("serviceaccount")) throw err;
            await sleep(200);
          }
        }
      }
    }
    for (const [i, spec] of SYSTEMS.entries()) {
      const namespace = filed[i]!.system.namespace;
      const ns = await kube.core.readNamespace({ name: namespace });
      for (const name of spec.pods) {
        const pod = await untilRunning(kube.core, namespace, name);
        pods.push({
          label: `${spec.key}/${name}`,
          namespace,
          name,
          ip: pod.status?.podIP ?? "",
          endpoint: { kind: "pod", namespace, namespaceLabels: ns.metadata?.labels ?? {}, podLabels: pod.metadata?.labels ?? {} },
        });
      }
    }

    const pairs = pods.flatMap((from) => pods.filter((to) => to !== from).map((to) => ({ from, to, key: `${from.label}>${to.label}` })));

    /** The catalog's verdict for every pair, over the NetworkPolicies the API server holds now. */
    const catalogVerdicts = async () => {
      const policies: PolicyLike[] = (await kube.networking.listNetworkPolicyForAllNamespaces()).items.map((p) => ({
        metadata: { name: p.metadata?.name ?? "", namespace: p.metadata?.namespace },
        spec: p.spec as PolicyLike["spec"],
      }));
      return new Map(
        pairs.map(({ from, to, key }) => [key, evaluate(policies, { from: from.endpoint, to: to.endpoint, protocol: "TCP", port: PORT }).allowed]),
      );
    };

    /**
     * Tries every pair until the data plane agrees with the catalog or the deadline passes (kube-router
     * programs a new pod's or policy's rules shortly after it appears), prints the matrix and returns
     * the pairs that differ.
     */
    const probeMatrix = async (title: string, expected: Map<string, boolean>) => {
      const deadline = Date.now() + 90_000;
      let observed = new Map<string, boolean>();
      for (;;) {
        const results = await inBatches(pairs, 6, async ({ from, to, key }) => [key, await connects(from, to)] as const);
        observed = new Map(results);
        const differs = pairs.some(({ key }) => observed.get(key) !== expected.get(key));
        if (!differs || Date.now() > deadline) break;
        await sleep(2_000);
      }
      console.log(
        `[packets] ${title}: ${pairs.length} TCP connections between ${pods.length} probe pods, port ${PORT}\n${renderMatrix(pods, observed, expected)}`,
      );
      const mismatches = pairs
        .filter(({ key }) => observed.get(key) !== expected.get(key))
        .map(({ key }) => `${key}: data plane ${observed.get(key) ? "open" : "drop"}, catalog ${expected.get(key) ? "allow" : "deny"}`);
      return { observed, mismatches };
    };

    const expected = await catalogVerdicts();
    // The catalog's verdicts are not trivial: some pairs are allowed, some denied.
    expect(new Set(expected.values())).toEqual(new Set([true, false]));
    const platform = await probeMatrix("the platform's policies", expected);
    expect(platform.mismatches).toEqual([]);
    // Same system is open; other department, other level and other zone are closed.
    expect(platform.observed.get("A-ext-L2/web>A-ext-L2/web-2")).toBe(true);
    expect(platform.observed.get("A-ext-L2/web>A-ext-L3/web")).toBe(false);
    expect(platform.observed.get("A-ext-L2/web>B-ext-L2/web")).toBe(false);
    expect(platform.observed.get("A-ext-L2/web>A-int-L2/web")).toBe(false);

    // The node, the API server and the cluster DNS. Targets as a pod dials them; the catalog judges the
    // address the connection reaches after kube-proxy's translation (policies see that one).
    await untilDnsReady(kube.kc.makeApiClient(AppsV1Api));
    const kubeletPort = (await kube.core.readNode({ name: node.name })).status?.daemonEndpoints?.kubeletEndpoint?.Port ?? 0;
    const apiService = await kube.core.readNamespacedService({ namespace: "default", name: "kubernetes" });
    const dnsNamespace = await kube.core.readNamespace({ name: DNS_NAMESPACE });
    const dnsPod: Endpoint = { kind: "pod", namespace: DNS_NAMESPACE, namespaceLabels: dnsNamespace.metadata?.labels ?? {}, podLabels: { ...DNS_POD_LABELS } };
    const nodeIp: Endpoint = { kind: "ip", ip: node.ip };
    const targets = [
      { label: `node :${kubeletPort} (kubelet)`, address: `${node.ip}:${kubeletPort}`, reached: nodeIp, port: kubeletPort },
      { label: `API server ${apiService.spec?.clusterIP}:443`, address: `${apiService.spec?.clusterIP}:443`, reached: nodeIp, port: API_RELAY_PORT },
      { label: `cluster DNS ${CLUSTER_DNS_IP}:53`, address: `${CLUSTER_DNS_IP}:53`, reached: dnsPod, port: 53 },
    ];
    // A platform pod beside CoreDNS (no NetworkPolicy in kube-system): the control row.
    await kube.core.createNamespacedPod({
      namespace: DNS_NAMESPACE,
      body: {
        metadata: { name: "packets-probe", labels: { app: "packets-probe" } },
        spec: {
          containers: [
            {
              name: "probe",
              image: PROBE_IMAGE.ref,
              imagePullPolicy: "Never",
              args: ["serve", String(PORT)],
              resources: { limits: { cpu: "100m", memory: "32Mi" } },
            },
          ],
        },
      },
    });
    created.push({ namespace: DNS_NAMESPACE, name: "packets-probe" });
    const platformPod = await untilRunning(kube.core, DNS_NAMESPACE, "packets-probe");
    const sources = [
      ...pods,
      {
        label: "kube-system/probe",
        namespace: DNS_NAMESPACE,
        name: "packets-probe",
        ip: platformPod.status?.podIP ?? "",
        endpoint: { kind: "pod", namespace: DNS_NAMESPACE, namespaceLabels: dnsNamespace.metadata?.labels ?? {}, podLabels: { app: "packets-probe" } },
      } satisfies ProbePod,
    ];
    const policiesNow: PolicyLike[] = (await kube.networking.listNetworkPolicyForAllNamespaces()).items.map((p) => ({
      metadata: { name: p.metadata?.name ?? "", namespace: p.metadata?.namespace },
      spec: p.spec as PolicyLike["spec"],
    }));
    const infraPairs = sources.flatMap((from) => targets.map((to) => ({ from, to, key: `${from.label}>${to.label}` })));
    const infraExpected = new Map(
      infraPairs.map(({ from, to, key }) => [key, evaluate(policiesNow, { from: from.endpoint, to: to.reached, protocol: "TCP", port: to.port }).allowed]),
    );
    // The node itself → every pod. NetworkPolicy never isolates a pod from its own node (kubelet's
    // probes come from there): expected open whatever the policies say.
    const fromNode = async () =>
      new Map(await Promise.all(sources.map(async (p) => [p.label, (await httpGet(`http://${p.ip}:${PORT}/`, 3_000)).status === 200] as const)));
    let infraObserved = new Map<string, boolean>();
    let nodeObserved = new Map<string, boolean>();
    const infraDeadline = Date.now() + 60_000;
    for (;;) {
      infraObserved = new Map(await inBatches(infraPairs, 6, async ({ from, to, key }) => [key, await connectsTo(from, to.address)] as const));
      nodeObserved = await fromNode();
      const agree = infraPairs.every(({ key }) => infraObserved.get(key) === infraExpected.get(key)) && [...nodeObserved.values()].every(Boolean);
      if (agree || Date.now() > infraDeadline) break;
      await sleep(2_000);
    }
    const w = Math.max(...sources.map((p) => p.label.length), ...targets.map((t) => t.label.length)) + 2;
    const cell = (key: string) => `${infraObserved.get(key) ? "open" : "drop"}${infraObserved.get(key) === infraExpected.get(key) ? "" : "≠"}`.padEnd(w);
    console.log(
      [
        `[packets] the node, the API server and the cluster DNS (${infraPairs.length + sources.length} TCP connections)`,
        `${"from \\ to".padEnd(w)}${targets.map((t) => t.label.padEnd(w)).join("")}`,
        ...sources.map((from) => `${from.label.padEnd(w)}${targets.map((to) => cell(`${from.label}>${to.label}`)).join("")}`),
        `${`node ${node.ip}`.padEnd(w)}→ ${sources.map((p) => `${p.label} ${nodeObserved.get(p.label) ? "open" : "drop"}`).join(", ")}`,
        "open/drop: what the data plane did; ≠: differs from the policy catalog's verdict (node → pod: always open)",
      ].join("\n"),
    );
    expect(infraPairs.filter(({ key }) => infraObserved.get(key) !== infraExpected.get(key)).map(({ key }) => key)).toEqual([]);
    expect([...nodeObserved.entries()].filter(([, open]) => !open)).toEqual([]);
    // Systems reach the cluster DNS and neither the node nor the API server; the platform's own pod reaches all three.
    for (const p of pods) {
      expect(infraObserved.get(`${p.label}>${targets[2]!.label}`)).toBe(true);
      expect(infraObserved.get(`${p.label}>${targets[0]!.label}`)).toBe(false);
      expect(infraObserved.get(`${p.label}>${targets[1]!.label}`)).toBe(false);
    }
    for (const t of targets) expect(infraObserved.get(`kube-system/probe>${t.label}`)).toBe(true);

    // A department trying to widen its own isolation (as its people would: their group's RBAC in
    // their namespace) is refused by the API server, and nothing opens.
    const [aNs] = [filed[0]!.system.namespace];
    const asDeptA = (args: string[], input?: string) =>
      kubectl(kubeconfigPath(), ["--as", `dept-a-${orgs.A.dept.code}`, "--as-group", `zhengyun:dept:${orgs.A.dept.code}`, ...args], input);
    const allowAll = {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: { name: "allow-all", namespace: aNs },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
    };
    const attempts = {
      "create allow-all": await asDeptA(["create", "-f", "-"], JSON.stringify(allowAll)),
      [`delete ${DEFAULT_DENY_POLICY}`]: await asDeptA(["-n", aNs, "delete", "networkpolicy", DEFAULT_DENY_POLICY]),
      [`patch ${DEFAULT_DENY_POLICY} to select no pod`]: await asDeptA([
        "-n",
        aNs,
        "patch",
        "networkpolicy",
        DEFAULT_DENY_POLICY,
        "--type=merge",
        "-p",
        JSON.stringify({ spec: { podSelector: { matchLabels: { none: "none" } } } }),
      ]),
    };
    for (const [what, result] of Object.entries(attempts)) {
      expect(result.code, `${what}: ${result.stdout}`).not.toBe(0);
      expect(result.stderr, what).toMatch(/is forbidden: User ".*" cannot/);
      console.log(`[packets] department ${orgs.A.dept.code} in ${aNs}: ${what} → ${result.stderr.trim().split("\n").at(-1)}`);
    }
    expect((await kube.networking.listNamespacedNetworkPolicy({ namespace: aNs })).items.map((p) => p.metadata?.name)).not.toContain("allow-all");
    const afterAttempts = await probeMatrix("after the department's attempts to widen A-ext-L2", await catalogVerdicts());
    expect(afterAttempts.mismatches).toEqual([]);
    for (const other of pods.filter((p) => !p.label.startsWith("A-ext-L2/"))) {
      expect(afterAttempts.observed.get(`${other.label}>A-ext-L2/web`)).toBe(false);
      expect(afterAttempts.observed.get(`A-ext-L2/web>${other.label}`)).toBe(false);
    }

    // The drops are the policies' doing, not a broken network: an explicit allowance from A-ext-L2
    // to B-ext-L2 (egress in one namespace, ingress in the other) opens exactly that direction.
    const [fromNs, toNs] = [filed[0]!.system.namespace, filed[3]!.system.namespace];
    const byName = (ns: string) => ({ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": ns } } });
    await kube.networking.createNamespacedNetworkPolicy({
      namespace: fromNs,
      body: {
        metadata: { name: "packets-allow-out" },
        spec: { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [byName(toNs)], ports: [{ protocol: "TCP", port: PORT }] }] },
      },
    });
    await kube.networking.createNamespacedNetworkPolicy({
      namespace: toNs,
      body: {
        metadata: { name: "packets-allow-in" },
        spec: { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ _from: [byName(fromNs)], ports: [{ protocol: "TCP", port: PORT }] }] },
      },
    });
    const widened = await catalogVerdicts();
    expect(widened.get("A-ext-L2/web>B-ext-L2/web")).toBe(true);
    expect(widened.get("B-ext-L2/web>A-ext-L2/web")).toBe(false);
    const allowance = await probeMatrix("with an allowance A-ext-L2 → B-ext-L2", widened);
    expect(allowance.mismatches).toEqual([]);
    expect(allowance.observed.get("A-ext-L2/web>B-ext-L2/web")).toBe(true);
    expect(allowance.observed.get("A-ext-L2/web-2>B-ext-L2/web")).toBe(true);
    expect(allowance.observed.get("B-ext-L2/web>A-ext-L2/web")).toBe(false);
  });
});
