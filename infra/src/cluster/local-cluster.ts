// A local Kubernetes control plane for tests and development: etcd, kube-apiserver
// and kube-controller-manager built from their Go modules (infra/toolchain). By
// default there is no kubelet, so pods never run, but everything the API server
// decides (authentication, RBAC, admission, quotas, validation) is real. With
// `node: true` a scheduler and one real node (node.ts) join, and pods run.

import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { toolPath } from "../toolchain.js";
import { writeKubeconfig } from "./kubeconfig.js";
import { cleanupNode, NODE_IP, type NodeState, SERVICE_CLUSTER_IP_RANGE, startNode } from "./node.js";
import { createPki, type Pki, signClientCert } from "./pki.js";
import { freePorts } from "./ports.js";
import { groupAlive, killGroupNow, type Managed, Reaper, startProcess, stopGroup } from "./processes.js";
import { NODE_VOLUMES_PROVISIONER } from "./volumes.js";

export { SERVICE_CLUSTER_IP_RANGE };
export const SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc.cluster.local";

/** Admission plugins turned on explicitly (on top of the API server's defaults). */
export const ADMISSION_PLUGINS = [
  "NamespaceLifecycle",
  "LimitRanger",
  "ServiceAccount",
  "PodSecurity",
  "ResourceQuota",
  "ValidatingAdmissionPolicy",
  "NodeRestriction",
] as const;

/** Controllers run by kube-controller-manager. */
export const CONTROLLERS = [
  "namespace-controller",
  "garbage-collector-controller",
  "resourcequota-controller",
  "serviceaccount-controller",
  "serviceaccount-token-controller",
  "clusterrole-aggregation-controller",
  "root-ca-certificate-publisher-controller",
  "validatingadmissionpolicy-status-controller",
  "deployment-controller",
  "replicaset-controller",
  "statefulset-controller",
  "job-controller",
  "cronjob-controller",
  "ttl-after-finished-controller",
  "disruption-controller",
] as const;

/**
 * Controllers added when the cluster has a node: Services get endpoints, dead pods are collected,
 * claims are provisioned and bound.
 */
export const NODE_CONTROLLERS = [
  "endpointslice-controller",
  "endpointslice-mirroring-controller",
  "pod-garbage-collector-controller",
  "node-lifecycle-controller",
  "persistentvolume-binder-controller",
  "persistentvolume-protection-controller",
  "persistentvolumeclaim-protection-controller",
] as const;

/**
 * The provisioner behind the storage classes on the local node (volumes.ts): a directory per volume
 * on the node's own ext4 filesystem, fscrypt-encrypted for the `encrypted` class; single node,
 * tests only.
 */
export const LOCAL_STORAGE_PROVISIONER = NODE_VOLUMES_PROVISIONER;

export interface LocalClusterOptions {
  /** Directory for certificates, etcd data, logs and kubeconfigs; a temp dir if unset. */
  dir?: string;
  /** Remove `dir` on stop. Defaults to true for a temp dir, false for a given one. */
  removeDirOnStop?: boolean;
  /**
   * Leave the processes running when this process exits (the CLI's `cluster:up`).
   * Otherwise they are killed when this process exits, even if stop() was never called.
   */
  detached?: boolean;
  /** How long to wait for the control plane to become ready. */
  timeoutMs?: number;
  /** Progress messages. */
  log?: (message: string) => void;
  /** Also start kube-scheduler and one real node (containerd, kubelet, kube-proxy). */
  node?: boolean;
}

export interface ClusterState {
  dir: string;
  kubeconfigPath: string;
  server: string;
  caCertPath: string;
  ports: { etcdClient: number; etcdPeer: number; apiserver: number; controllerManager: number; scheduler?: number };
  /** Process group ids (each equal to the leader's pid), in start order. */
  processes: { name: string; pid: number; logFile: string }[];
  startedAt: string;
  /** The node, when started with `node: true`. */
  node?: NodeState;
}

export interface LocalCluster extends ClusterState {
  /** Stops all processes (waiting until none is left) and removes a temp dir. */
  stop(): Promise<void>;
}

export const STATE_FILE = "cluster.json";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TlsClient {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

function httpsGet(url: string, tls: TlsClient): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ...tls, method: "GET", timeout: 5_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

function httpsPost(url: string, tls: TlsClient, payload: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(payload);
    const req = request(url, { ...tls, method: "POST", timeout: 10_000, headers: { "content-type": "application/json" } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(data);
  });
}

function httpGet(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: "GET", timeout: 5_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

async function logTail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** Polls `check` until it returns true, failing early if `proc` exits. */
async function waitFor(what: string, proc: Managed, deadline: number, check: () => Promise<boolean>): Promise<void> {
  let lastError = "";
  while (Date.now() < deadline) {
    if (proc.exitedYet()) {
      throw new Error(`${proc.name} exited while waiting for ${what}:\n${await logTail(proc.logFile)}`);
    }
    try {
      if (await check()) return;
    } catch (err) {
      lastError = (err as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}${lastError ? ` (last error: ${lastError})` : ""}; ${proc.name} log:\n${await logTail(proc.logFile)}`);
}

function etcdArgs(dir: string, ports: ClusterState["ports"]): string[] {
  const client = `http://127.0.0.1:${ports.etcdClient}`;
  const peer = `http://127.0.0.1:${ports.etcdPeer}`;
  return [
    "--name=zhengyun",
    `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=zhengyun=${peer}`,
    "--initial-cluster-state=new",
    // Test data: durability across power loss is not needed, speed is.
    "--unsafe-no-fsync=true",
    "--log-level=warn",
  ];
}

function apiserverArgs(pki: Pki, ports: ClusterState["ports"]): string[] {
  return [
    `--etcd-servers=http://127.0.0.1:${ports.etcdClient}`,
    "--bind-address=127.0.0.1",
    "--advertise-address=127.0.0.1",
    `--secure-port=${ports.apiserver}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.caCert}`,
    "--authorization-mode=Node,RBAC",
    `--enable-admission-plugins=${ADMISSION_PLUGINS.join(",")}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    `--service-account-issuer=${SERVICE_ACCOUNT_ISSUER}`,
    `--service-account-key-file=${pki.serviceAccountPub}`,
    `--service-account-signing-key-file=${pki.serviceAccountKey}`,
    // Privileged pods are allowed by the API server itself, so that admission
    // policies (Pod Security, ValidatingAdmissionPolicy) are what refuses them.
    "--allow-privileged=true",
    // The loopback address cannot be a Service endpoint; there are no nodes anyway.
    "--endpoint-reconciler-type=none",
    "--profiling=false",
    "--v=1",
  ];
}

function controllerManagerArgs(dir: string, pki: Pki, kubeconfig: string, ports: ClusterState["ports"], node: boolean): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${ports.controllerManager}`,
    `--cert-dir=${join(dir, "controller-manager")}`,
    `--controllers=${[...CONTROLLERS, ...(node ? NODE_CONTROLLERS : [])].join(",")}`,
    "--use-service-account-credentials=true",
    `--root-ca-file=${pki.caCert}`,
    `--service-account-private-key-file=${pki.serviceAccountKey}`,
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    "--leader-elect=false",
    "--profiling=false",
    "--v=1",
  ];
}

function schedulerArgs(kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    "--bind-address=127.0.0.1",
    `--secure-port=${port}`,
    "--leader-elect=false",
    "--profiling=false",
    "--v=1",
  ];
}

/** Starts etcd, kube-apiserver and kube-controller-manager (and a node) and waits until they serve. */
export async function startLocalCluster(options: LocalClusterOptions = {}): Promise<LocalCluster> {
  const log = options.log ?? (() => {});
  const tools = [
    "etcd",
    "kube-apiserver",
    "kube-controller-manager",
    ...(options.node ? (["kube-scheduler", "kubelet", "kube-proxy", "kube-router", "coredns", "zy-fscrypt"] as const) : []),
  ] as const;
  for (const tool of tools) {
    if (!existsSync(toolPath(tool))) {
      throw new Error(`${toolPath(tool)} is missing; build the toolchain with \`node infra/toolchain/ensure.mjs\``);
    }
  }
  const tempDir = options.dir === undefined;
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), "zhengyun-cluster-")));
  const removeDir = options.removeDirOnStop ?? tempDir;
  await mkdir(join(dir, "logs"), { recursive: true });
  let deadline = Date.now() + (options.timeoutMs ?? 120_000);

  const started: Managed[] = [];
  const reaper = options.detached ? undefined : new Reaper();
  if (removeDir) reaper?.removeDirOnExit(dir);
  const onExit = () => {
    for (const p of started) killGroupNow(p.pid);
  };
  if (!options.detached) process.on("exit", onExit);

  const launch = (name: string, tool: Parameters<typeof toolPath>[0] | { command: string }, args: string[]): Managed => {
    const command = typeof tool === "string" ? toolPath(tool) : tool.command;
    const proc = startProcess(name, command, args, join(dir, "logs", `${name}.log`));
    started.push(proc);
    reaper?.add(proc.pid);
    return proc;
  };

  let stopped = false;
  let nodeCleanup: string | undefined;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    for (const p of [...started].reverse()) {
      await stopGroup(p.pid);
      reaper?.remove(p.pid);
    }
    if (nodeCleanup) cleanupNode(nodeCleanup);
    reaper?.close();
    if (!options.detached) process.removeListener("exit", onExit);
    if (removeDir) await rm(dir, { recursive: true, force: true });
  };

  try {
    log("creating certificates");
    // With a node, pods reach the API server through the node's address (a relay there to loopback).
    const pki = await createPki(join(dir, "pki"), options.node ? { serverIps: [NODE_IP] } : {});
    const [etcdClient, etcdPeer, apiserverPort, kcmPort] = await freePorts(4);
    const ports: ClusterState["ports"] = {
      etcdClient: etcdClient as number,
      etcdPeer: etcdPeer as number,
      apiserver: apiserverPort as number,
      controllerManager: kcmPort as number,
    };
    const server = `https://127.0.0.1:${ports.apiserver}`;
    const tls: TlsClient = {
      ca: await readFile(pki.caCert),
      cert: await readFile(pki.adminCert),
      key: await readFile(pki.adminKey),
    };

    log(`starting etcd on 127.0.0.1:${ports.etcdClient}`);
    const etcd = launch("etcd", "etcd", etcdArgs(dir, ports));
    await waitFor("etcd /health", etcd, deadline, async () => {
      const r = await httpGet(`http://127.0.0.1:${ports.etcdClient}/health`);
      return r.status === 200 && r.body.includes('"health":"true"');
    });

    log(`starting kube-apiserver on ${server}`);
    const apiserver = launch("kube-apiserver", "kube-apiserver", apiserverArgs(pki, ports));
    await waitFor("kube-apiserver /readyz", apiserver, deadline, async () => {
      const r = await httpsGet(`${server}/readyz`, tls);
      return r.status === 200;
    });

    const kubeconfigPath = join(dir, "admin.kubeconfig");
    await writeKubeconfig(kubeconfigPath, {
      server,
      caCert: pki.caCert,
      clientCert: pki.adminCert,
      clientKey: pki.adminKey,
      user: "zhengyun-admin",
    });
    const kcmKubeconfig = join(dir, "controller-manager.kubeconfig");
    await writeKubeconfig(kcmKubeconfig, {
      server,
      caCert: pki.caCert,
      clientCert: pki.controllerManagerCert,
      clientKey: pki.controllerManagerKey,
      user: "system:kube-controller-manager",
    });

    log("starting kube-controller-manager");
    const kcm = launch("kube-controller-manager", "kube-controller-manager", controllerManagerArgs(dir, pki, kcmKubeconfig, ports, options.node ?? false));
    // The service account controller creating `default` in `default` shows that the
    // controller manager is up and reconciling.
    await waitFor("the default service account", kcm, deadline, async () => {
      const r = await httpsGet(`${server}/api/v1/namespaces/default/serviceaccounts/default`, tls);
      return r.status === 200;
    });

    let node: NodeState | undefined;
    if (options.node) {
      const schedulerCert = await signClientCert(pki, "kube-scheduler", "/CN=system:kube-scheduler");
      const schedulerKubeconfig = join(dir, "scheduler.kubeconfig");
      await writeKubeconfig(schedulerKubeconfig, {
        server,
        caCert: pki.caCert,
        clientCert: schedulerCert.cert,
        clientKey: schedulerCert.key,
        user: "system:kube-scheduler",
      });
      const [schedulerPort] = (await freePorts(1)) as [number];
      ports.scheduler = schedulerPort;
      log("starting kube-scheduler");
      launch("kube-scheduler", "kube-scheduler", schedulerArgs(schedulerKubeconfig, schedulerPort));
      nodeCleanup = join(dir, "node", "cleanup.sh");
      node = await startNode({
        dir,
        pki,
        server,
        launch: (name, command, args) => launch(name, { command }, args),
        waitFor: (what, proc, check) => waitFor(what, proc, deadline, check),
        // Time spent waiting for another node to stop does not count against starting this one.
        waited: (ms) => {
          deadline += ms;
        },
        get: (path) => httpsGet(`${server}${path}`, tls),
        post: (path, body) => httpsPost(`${server}${path}`, tls, body),
        onCleanup: (argv) => reaper?.runOnExit(argv),
        log,
      });
    }

    const state: ClusterState = {
      dir,
      kubeconfigPath,
      server,
      caCertPath: pki.caCert,
      ports,
      processes: started.map((p) => ({ name: p.name, pid: p.pid, logFile: p.logFile })),
      startedAt: new Date().toISOString(),
      ...(node ? { node } : {}),
    };
    await writeFile(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
    log(`ready: ${server}, KUBECONFIG=${kubeconfigPath}`);
    return { ...state, stop };
  } catch (err) {
    await stop().catch(() => {});
    throw err;
  }
}

/** Reads the state file of a cluster started with `detached: true`. */
export async function readClusterState(dir: string): Promise<ClusterState | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, STATE_FILE), "utf8")) as ClusterState;
  } catch {
    return undefined;
  }
}

/**
 * Whether the process group `pid` still runs the program it was started with (and
 * not an unrelated process that got the same id after a reboot).
 */
function sameProgram(p: ClusterState["processes"][number]): boolean {
  if (!groupAlive(p.pid)) return false;
  try {
    const argv = readFileSync(`/proc/${p.pid}/cmdline`, "utf8").split("\0");
    const argv0 = argv[0] ?? "";
    // The node's helpers are Node scripts named like their process: `node <dir>/<name>.mjs ...`.
    return argv0.endsWith(`/${p.name}`) || argv0 === p.name || (argv[1] ?? "").endsWith(`/${p.name}.mjs`);
  } catch {
    return true; // no procfs: trust the state file
  }
}

/** Stops the processes listed in a state file (a cluster started by another process). */
export async function stopClusterFromState(state: ClusterState): Promise<string[]> {
  const stoppedNames: string[] = [];
  for (const p of [...state.processes].reverse()) {
    if (sameProgram(p)) {
      await stopGroup(p.pid);
      stoppedNames.push(p.name);
    }
  }
  if (state.node) cleanupNode(state.node.cleanupScript);
  return stoppedNames;
}

/** Whether every process of a state file is still running. */
export function clusterRunning(state: ClusterState): boolean {
  return state.processes.length > 0 && state.processes.every(sameProgram);
}
