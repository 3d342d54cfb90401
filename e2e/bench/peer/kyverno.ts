// Kyverno as the reconcile benchmark's peer: its admission controller and background controller run
// as processes on this machine (out of cluster, as its developers run it) against the benchmark's
// local control plane. Built once by build-kyverno.sh, never in CI.

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { freePorts } from "@zhengyun/infra/cluster/ports";
import { type Managed, Reaper, startProcess, stopGroup } from "@zhengyun/infra/cluster/processes";
import type { KubeObject } from "@zhengyun/infra/components/objects";
import { type ExpectedObject, holds, type PeerPlan } from "./kyverno-policies.js";

export const KYVERNO_VERSION = "v1.19.1";
const NAMESPACE = "kyverno";
const ADMISSION_SA = "kyverno-admission-controller";
const BACKGROUND_SA = "kyverno-background-controller";
const FIELD_MANAGER = "zhengyun-bench-peer";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function kyvernoDir(): string {
  return join(process.env.ZHENGYUN_PEER_DIR ?? join(homedir(), ".cache", "zhengyun", "peer"), `kyverno-${KYVERNO_VERSION}`);
}

/** The built binaries (building them first if they are not there yet) and the build's record. */
export function ensureKyverno(): { dir: string; build: string } {
  const dir = kyvernoDir();
  if (!existsSync(join(dir, "kyverno")) || !existsSync(join(dir, "background-controller"))) {
    execFileSync("bash", [new URL("./build-kyverno.sh", import.meta.url).pathname], { stdio: "inherit", env: { ...process.env, KYVERNO_VERSION } });
  }
  const record = join(dir, "build.txt");
  return { dir, build: existsSync(record) ? readFileSync(record, "utf8").split("\n")[0]! : "" };
}

function crdFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".yaml")) out.push(p);
    }
  };
  walk(dir);
  return out;
}

async function apply(api: k8s.KubernetesObjectApi, object: KubeObject | k8s.KubernetesObject): Promise<void> {
  await api.patch(object as k8s.KubernetesObject, undefined, undefined, FIELD_MANAGER, true, k8s.PatchStrategy.ServerSideApply);
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, logs: string[] = []): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      const tails = logs.map((f) => `--- ${f}\n${readFileSync(f, "utf8").split("\n").slice(-30).join("\n")}`).join("\n");
      throw new Error(`kyverno: ${what} not reached in ${timeoutMs / 1000} s\n${tails}`);
    }
    await sleep(500);
  }
}

export interface RunningKyverno {
  /** From the first process start to the webhooks registered and both controllers leading. */
  startMs: number;
  logs: string[];
  stop(): Promise<void>;
}

/** CRDs, namespace, service account; then both controllers, until they serve. */
export async function startKyverno(kubeconfigPath: string, binDir: string): Promise<RunningKyverno> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const ext = kc.makeApiClient(k8s.ApiextensionsV1Api);
  const coordination = kc.makeApiClient(k8s.CoordinationV1Api);
  const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);

  const crds = crdFiles(join(binDir, "crds")).flatMap((f) => k8s.loadAllYaml(readFileSync(f, "utf8")) as k8s.KubernetesObject[]);
  for (const crd of crds.filter(Boolean)) await apply(api, crd);
  for (const crd of crds.filter(Boolean))
    await until(`CRD ${crd.metadata?.name} established`, 60_000, async () => {
      const live = await ext.readCustomResourceDefinition({ name: crd.metadata!.name! });
      return live.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
    });
  await apply(api, { apiVersion: "v1", kind: "Namespace", metadata: { name: NAMESPACE } });
  // The configuration Kyverno's chart always installs: without it the UpdateRequest threshold
  // stays 0 (it is set only when this ConfigMap loads) and every generate request is skipped.
  await apply(api, {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name: "kyverno", namespace: NAMESPACE },
    data: { updateRequestThreshold: "1000" },
  } as KubeObject);
  // The admission controller checks, before accepting a generate rule, that its own account may
  // read the generated kinds and the background controller's may write them (the chart grants
  // both); on the bench's throwaway cluster both accounts are bound to cluster-admin.
  for (const account of [ADMISSION_SA, BACKGROUND_SA]) {
    await apply(api, { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: account, namespace: NAMESPACE } });
    await apply(api, {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `${account}-bench` },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "ServiceAccount", name: account, namespace: NAMESPACE }],
    } as KubeObject);
  }

  const dir = await mkdtemp(join(tmpdir(), "zy-kyverno-"));
  const [webhook = 0, metricsA, metricsB, profileA, profileB] = await freePorts(5);
  const common = [
    `--kubeconfig=${kubeconfigPath}`,
    "--disableMetrics=true",
    "--metricsHost=127.0.0.1",
    "--controllerRuntimeMetricsAddress=0",
    "--autoMemLimitEnabled=false",
    "--v=1",
  ];
  const env = (pod: string) => ({
    ...process.env,
    KYVERNO_NAMESPACE: NAMESPACE,
    KYVERNO_POD_NAME: pod,
    KYVERNO_DEPLOYMENT: "kyverno-admission-controller",
    KYVERNO_SVC: "kyverno-svc",
    KYVERNO_SERVICEACCOUNT_NAME: ADMISSION_SA,
    INIT_CONFIG: "kyverno",
    METRICS_CONFIG: "kyverno-metrics",
  });
  const reaper = new Reaper();
  const procs: Managed[] = [];
  const started = Date.now();
  const launch = (name: string, args: string[]) => {
    const p = startProcess(name, join(binDir, name), args, join(dir, `${name}.log`), env(`${name}-bench`));
    reaper.add(p.pid);
    procs.push(p);
  };
  launch("kyverno", [
    ...common,
    `--metricsPort=${metricsA}`,
    `--profilePort=${profileA}`,
    `--serverIP=127.0.0.1:${webhook}`,
    "--webhookServerHost=127.0.0.1",
    `--webhookServerPort=${webhook}`,
    `--caSecretName=kyverno-svc.${NAMESPACE}.svc.kyverno-tls-ca`,
    `--tlsSecretName=kyverno-svc.${NAMESPACE}.svc.kyverno-tls-pair`,
    `--backgroundServiceAccountName=system:serviceaccount:${NAMESPACE}:${BACKGROUND_SA}`,
    "--admissionReports=false",
  ]);
  launch("background-controller", [...common, `--metricsPort=${metricsB}`, `--profilePort=${profileB}`]);
  const logs = procs.map((p) => p.logFile);
  const stop = async () => {
    await Promise.all(procs.map((p) => stopGroup(p.pid).then(() => reaper.remove(p.pid))));
    reaper.close();
    // Webhooks whose server is gone would refuse (or delay) every later write they match.
    for (const kind of ["ValidatingWebhookConfiguration", "MutatingWebhookConfiguration"] as const) {
      const list =
        kind === "ValidatingWebhookConfiguration"
          ? await admission.listValidatingWebhookConfiguration({ labelSelector: "webhook.kyverno.io/managed-by=kyverno" })
          : await admission.listMutatingWebhookConfiguration({ labelSelector: "webhook.kyverno.io/managed-by=kyverno" });
      for (const item of list.items)
        await api.delete({ apiVersion: "admissionregistration.k8s.io/v1", kind, metadata: { name: item.metadata!.name! } }).catch(() => undefined);
    }
  };
  try {
    const leads = (lease: string) => async () => {
      const l = await coordination.readNamespacedLease({ name: lease, namespace: NAMESPACE });
      return l.spec?.holderIdentity ? true : undefined;
    };
    await until("admission controller leading", 300_000, leads("kyverno"), logs);
    await until("background controller leading", 300_000, leads("kyverno-background-controller"), logs);
    await until("webhook server answering", 300_000, async () => ((await readiness(webhook)) ? true : undefined), logs);
    return { startMs: Date.now() - started, logs, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/** The admission controller's readiness endpoint (its certificate is its own: not verified). */
async function readiness(port: number): Promise<boolean> {
  const { request } = await import("node:https");
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/health/readiness", rejectUnauthorized: false, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

export interface PeerResult {
  policies: number;
  rules: number;
  /** Policies created until each is Ready and the Namespace webhook is registered. */
  policiesReadyMs: number;
  namespaces: number;
  objects: number;
  /** From the first namespace created until every expected object exists in every namespace. */
  settleMs: number;
  /** Of those, creating the namespaces themselves (each one passes Kyverno's webhook). */
  createMs: number;
  /** Objects present but not holding the expected fields. */
  mismatched: number;
  mismatchExample?: string;
}

const key = (o: { namespace?: string | undefined; kind: string; name: string }) => `${o.namespace}/${o.kind}/${o.name}`;

/** Policies first; then the namespaces, `parallel` at a time; then waits until every object is there. */
export async function runPeer(kubeconfigPath: string, plan: PeerPlan, parallel: number, timeoutMs: number): Promise<PeerResult> {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  const admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);

  const t0 = Date.now();
  for (const p of plan.policies) await api.create(p as k8s.KubernetesObject);
  await until("policies ready", 300_000, async () => {
    for (const p of plan.policies) {
      const live = (await custom.getClusterCustomObject({ group: "kyverno.io", version: "v1", plural: "clusterpolicies", name: p.metadata.name })) as {
        status?: { conditions?: { type: string; status: string }[] };
      };
      if (!live.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True")) return undefined;
    }
    const hooks = await admission.listValidatingWebhookConfiguration({ labelSelector: "webhook.kyverno.io/managed-by=kyverno" });
    const namespaces = hooks.items.some((h) => h.webhooks?.some((w) => w.rules?.some((r) => r.resources?.includes("namespaces"))));
    return namespaces ? true : undefined;
  });
  const policiesReadyMs = Date.now() - t0;

  const kinds = [...new Map(plan.expected.map((e) => [`${e.apiVersion}|${e.kind}`, { apiVersion: e.apiVersion, kind: e.kind }])).values()];
  const wanted = new Map<string, ExpectedObject>(plan.expected.map((e) => [key(e), e]));
  const ours = new Set(plan.namespaces.map((n) => n.metadata.name));
  const present = async () => {
    const live = new Map<string, k8s.KubernetesObject>();
    for (const { apiVersion, kind } of kinds) {
      const list = await api.list(apiVersion, kind);
      for (const item of list.items)
        if (ours.has(item.metadata?.namespace ?? "")) live.set(key({ namespace: item.metadata!.namespace!, kind, name: item.metadata!.name! }), item);
    }
    return live;
  };

  const started = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < plan.namespaces.length) await api.create(plan.namespaces[next++]! as k8s.KubernetesObject);
    }),
  );
  const createMs = Date.now() - started;
  let live = new Map<string, k8s.KubernetesObject>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    live = await present();
    if ([...wanted.keys()].every((k) => live.has(k))) break;
    if (Date.now() > deadline) {
      const missing = [...wanted.keys()].filter((k) => !live.has(k));
      throw new Error(`kyverno: ${missing.length} of ${wanted.size} objects missing after ${timeoutMs / 1000} s, e.g. ${missing.slice(0, 3).join(", ")}`);
    }
    await sleep(500);
  }
  const settleMs = Date.now() - started;

  let mismatched = 0;
  let mismatchExample: string | undefined;
  for (const [k, e] of wanted) {
    const object = live.get(k) as unknown as Record<string, unknown> & { metadata: { labels?: unknown; annotations?: unknown } };
    const { labels, annotations, ...top } = e.fields;
    const ok =
      holds(object.metadata.labels ?? {}, labels ?? {}) &&
      holds(object.metadata.annotations ?? {}, annotations ?? {}) &&
      Object.entries(top).every(([f, v]) => holds(object[f], v));
    if (!ok) {
      mismatched++;
      mismatchExample ??= `${k}: want ${JSON.stringify(e.fields)} have ${JSON.stringify(object)}`;
    }
  }
  const rules = plan.policies.reduce((n, p) => n + ((p as unknown as { spec: { rules: unknown[] } }).spec.rules.length ?? 0), 0);
  return {
    policies: plan.policies.length,
    rules,
    policiesReadyMs,
    namespaces: plan.namespaces.length,
    objects: wanted.size,
    settleMs,
    createMs,
    mismatched,
    mismatchExample,
  };
}
