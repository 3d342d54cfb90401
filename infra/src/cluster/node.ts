// One real node for the local cluster: Debian's containerd, runc and CNI plugins,
// kubelet + kube-proxy built from k8s.io/kubernetes (infra/toolchain/node), and
// kube-router in firewall-only mode as the NetworkPolicy data plane (iptables + ipset;
// this kernel has no NFT_QUEUE, so nftables-queue based implementations cannot run). Pods get
// addresses on a bridge of their own (NODE_BRIDGE, POD_CIDR); nothing is routed off the
// machine. The node's images are built here (images.ts) and imported into containerd.
//
// Everything the node leaves on the machine (containers, mounts, network namespaces,
// the bridge, iptables chains and ipsets, pod cgroups) is removed by a generated shell
// script, run on stop, by `cluster:down`, and by the reaper if the parent dies.

import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { toolPath } from "../toolchain.js";
import { buildCorednsImage, CLUSTER_DNS_IP, CLUSTER_DOMAIN, startClusterDns } from "./dns.js";
import { type BuiltImage, buildNodeImages, NODE_IMAGES, PAUSE_IMAGE } from "./images.js";
import { writeKubeconfig } from "./kubeconfig.js";
import type { Pki } from "./pki.js";
import { signClientCert } from "./pki.js";
import { freePorts } from "./ports.js";
import type { Managed } from "./processes.js";
import { EGRESS_GATEWAY_IMAGE } from "./rootfs.js";
import { type NodeVolumes, startVolumes, volumesCleanup } from "./volumes.js";

const run = promisify(execFile);

export const NODE_NAME = "zhengyun-node-1";
/** The pods' bridge; the node's own address on it is NODE_IP. */
export const NODE_BRIDGE = "zy-node0";
export const POD_CIDR = "10.244.0.0/24";
export const NODE_IP = "10.244.0.1";
/** The Services' address range (the API server's and the controller manager's --service-cluster-ip-range). */
export const SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";
/** One node per machine: the iptables chains of kube-proxy are machine-wide. */
const MACHINE_LOCK = "/run/zhengyun-node.lock";

/** Debian packages the node needs, and a command of each that must be on PATH. */
export const NODE_PACKAGES: Readonly<Record<string, string>> = {
  containerd: "containerd",
  runc: "runc",
  "containernetworking-plugins": "/usr/lib/cni/bridge",
  iptables: "iptables",
  ipset: "ipset",
  conntrack: "conntrack",
  // The volume filesystem (volumes.ts): mkfs.ext4 with the `encrypt` feature.
  e2fsprogs: "mkfs.ext4",
};

export interface NodeContext {
  /** The cluster's state directory; the node uses `<dir>/node`. */
  dir: string;
  pki: Pki;
  server: string;
  launch: (name: string, command: string, args: string[]) => Managed;
  waitFor: (what: string, proc: Managed, check: () => Promise<boolean>) => Promise<void>;
  /** Told how long the node waited for the machine's node lock (the start's deadline moves by as much). */
  waited?: (ms: number) => void;
  /** GET on the API server as the admin. */
  get: (path: string) => Promise<{ status: number; body: string }>;
  /** POST of a JSON object on the API server as the admin. */
  post: (path: string, body: unknown) => Promise<{ status: number; body: string }>;
  /** Registers the cleanup script with the reaper (parent death). */
  onCleanup: (argv: string[]) => void;
  log: (message: string) => void;
}

export interface NodeState {
  name: string;
  dir: string;
  ip: string;
  podCidr: string;
  containerdSocket: string;
  /** `sh <cleanupScript>` removes everything the node left on the machine. */
  cleanupScript: string;
  images: { ref: string; aliases: string[]; digest: string; archive: string; buildSeconds: number }[];
  /** Milliseconds from the start of containerd to the node reporting Ready. */
  startMs: number;
  /** The volume filesystem and the provisioner behind the storage classes (volumes.ts). */
  volumes: NodeVolumes;
  /** The cluster DNS Service's address, which kubelet gives pods as their resolver (dns.ts). */
  dnsIp: string;
}

/** The Debian packages (of NODE_PACKAGES) whose command is missing. */
export function missingNodePackages(): string[] {
  return Object.entries(NODE_PACKAGES)
    .filter(([, cmd]) => (cmd.startsWith("/") ? !existsSync(cmd) : spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0))
    .map(([pkg]) => pkg);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the machine-wide node lock, or says who holds it. */
function takeMachineLock(owner: string): () => void {
  const deadline = Date.now() + Number(process.env.ZHENGYUN_NODE_LOCK_WAIT_S ?? 0) * 1000;
  let waiting = false;
  for (;;) {
    try {
      mkdirSync(MACHINE_LOCK);
      writeFileSync(join(MACHINE_LOCK, "owner"), `${process.pid}\n${owner}\n`);
      return () => rmSync(MACHINE_LOCK, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      let pid = 0;
      let dir = "";
      try {
        [pid, dir] = ((lines) => [Number(lines[0]), lines[1] ?? ""])(readFileSync(join(MACHINE_LOCK, "owner"), "utf8").split("\n"));
      } catch {}
      // A lock whose owner is gone (or whose cluster directory was removed) is stale.
      if (!pid || !pidAlive(pid) || (dir && !existsSync(dir))) {
        rmSync(MACHINE_LOCK, { recursive: true, force: true });
        continue;
      }
      // One node per machine (the bridge and the firewall are machine-wide): wait for the other
      // node to stop, up to ZHENGYUN_NODE_LOCK_WAIT_S seconds (default 0: refuse at once).
      if (Date.now() >= deadline) {
        throw new Error(`another local node runs on this machine (pid ${pid}, ${dir}); stop it first (cluster:down)`);
      }
      if (!waiting) console.error(`[node] waiting for the local node of pid ${pid} (${dir}) to stop`);
      waiting = true;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2000);
    }
  }
}

function containerdConfig(nodeDir: string): string {
  return `version = 2
root = "${nodeDir}/containerd"
state = "${nodeDir}/containerd-state"
[grpc]
  address = "${nodeDir}/containerd.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "${PAUSE_IMAGE.ref}"
  netns_mounts_under_state_dir = true
  enable_unprivileged_ports = false
  # This machine's root lacks CAP_SYS_RESOURCE, so runc may not lower oom_score_adj
  # (kubelet asks -998 for sandboxes): cap it at containerd's own value instead.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "${nodeDir}/runc"
  # No registry is reachable, and nothing may leave the machine: every registry is loopback port 9
  # (refused). Images are imported; a pull fails at once instead of resolving a name.
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = "${nodeDir}/certs.d"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "${nodeDir}/cni/net.d"
`;
}

function cniConfig(nodeDir: string): string {
  return `${JSON.stringify(
    {
      cniVersion: "0.4.0",
      name: "zhengyun-pods",
      plugins: [
        {
          type: "bridge",
          bridge: NODE_BRIDGE,
          isGateway: true,
          ipMasq: false,
          hairpinMode: true,
          ipam: {
            type: "host-local",
            ranges: [[{ subnet: POD_CIDR, gateway: NODE_IP }]],
            // A default route through the node: Service addresses (kube-proxy's DNAT on the node) and
            // anything off the pods' subnet are reached through it; nothing is masqueraded, and the
            // NetworkPolicies decide what a pod may reach.
            routes: [{ dst: "0.0.0.0/0" }],
            dataDir: join(nodeDir, "cni", "ipam"),
          },
        },
        { type: "portmap", capabilities: { portMappings: true }, snat: false },
      ],
    },
    null,
    2,
  )}\n`;
}

function kubeletConfig(nodeDir: string, pki: Pki, ports: { kubelet: number; healthz: number }): string {
  return `${JSON.stringify(
    {
      apiVersion: "kubelet.config.k8s.io/v1beta1",
      kind: "KubeletConfiguration",
      // cgroups v1 and PID 1 is not systemd.
      cgroupDriver: "cgroupfs",
      failSwapOn: false,
      address: NODE_IP,
      port: ports.kubelet,
      readOnlyPort: 0,
      healthzBindAddress: "127.0.0.1",
      healthzPort: ports.healthz,
      authentication: { anonymous: { enabled: false }, webhook: { enabled: false }, x509: { clientCAFile: pki.caCert } },
      authorization: { mode: "AlwaysAllow" },
      containerRuntimeEndpoint: `unix://${nodeDir}/containerd.sock`,
      clusterDomain: CLUSTER_DOMAIN,
      clusterDNS: [CLUSTER_DNS_IP],
      // A test machine's disk is often fuller than a node's: evict only when nearly out.
      evictionHard: { "memory.available": "50Mi", "nodefs.available": "1%", "imagefs.available": "1%", "nodefs.inodesFree": "1%" },
      imageGCHighThresholdPercent: 100,
      imageGCLowThresholdPercent: 99,
      // Images are imported, never pulled.
      serializeImagePulls: false,
      resolvConf: "/etc/resolv.conf",
      maxPods: 110,
      podCIDR: POD_CIDR,
      nodeStatusUpdateFrequency: "5s",
    },
    null,
    2,
  )}\n`;
}

function kubeProxyConfig(kubeconfig: string, ports: { metrics: number; healthz: number }): string {
  return `${JSON.stringify(
    {
      apiVersion: "kubeproxy.config.k8s.io/v1alpha1",
      kind: "KubeProxyConfiguration",
      clientConnection: { kubeconfig },
      mode: "iptables",
      clusterCIDR: POD_CIDR,
      hostnameOverride: NODE_NAME,
      bindAddress: NODE_IP,
      metricsBindAddress: `127.0.0.1:${ports.metrics}`,
      healthzBindAddress: `127.0.0.1:${ports.healthz}`,
      // Node ports only on the pods' bridge, never on the machine's own interfaces.
      nodePortAddresses: [`${NODE_IP}/32`],
      // Leave the machine's conntrack table size and route_localnet alone.
      conntrack: { maxPerCore: 0 },
      iptables: { localhostNodePorts: false },
    },
    null,
    2,
  )}\n`;
}

/**
 * The script that removes what the node left on the machine. Idempotent; every step
 * tolerates "already gone".
 */
export function cleanupScript(nodeDir: string, clusterDir: string, extra: string[] = []): string {
  const runc = `runc --root '${nodeDir}/runc/k8s.io'`;
  return `#!/bin/sh
# Removes what the local node (${nodeDir}) left on this machine. Safe to run twice.
N='${nodeDir}'
# The bridge and the firewall are machine-wide: touch them only if no other node holds the lock.
owner="$(sed -n 2p '${MACHINE_LOCK}/owner' 2>/dev/null)"
mine=no; if [ -z "$owner" ] || [ "$owner" = '${clusterDir}' ]; then mine=yes; fi
# Containers: kill and delete through runc's state, even with containerd gone.
for id in $(${runc} list -q 2>/dev/null); do ${runc} kill --all "$id" KILL 2>/dev/null; done
sleep 0.3
for id in $(${runc} list -q 2>/dev/null); do ${runc} delete -f "$id" 2>/dev/null; done
# containerd's shims for this node (their command line names this node's socket).
for p in /proc/[0-9]*; do
  if tr '\\0' ' ' < "$p/cmdline" 2>/dev/null | grep -q -- "containerd-shim.* -address $N/containerd.sock"; then kill -9 "\${p#/proc/}" 2>/dev/null; fi
done
# Mounts under the node's directory (pod volumes, rootfs, network namespaces), deepest first.
awk -v n="$N" 'index($2, n) == 1 { print $2 }' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m" 2>/dev/null; done
${volumesCleanup(nodeDir).join("\n")}
rm -rf "$N"
[ "$mine" = yes ] || exit 0
# Firewall: kube-proxy's and kube-router's own cleanup first.
'${toolPath("kube-proxy")}' --cleanup >/dev/null 2>&1
'${toolPath("kube-router")}' --cleanup-config >/dev/null 2>&1
${extra.join("\n")}
# Then whatever is left of the chains of kubelet, kube-proxy, the NetworkPolicy firewall and
# the CNI portmap plugin (all named KUBE-* or CNI-*): jumps from the built-in chains, then the chains.
for cmd in iptables ip6tables; do
  for table in raw mangle nat filter; do
    $cmd-save -t "$table" 2>/dev/null | grep -E '^-A (PREROUTING|INPUT|FORWARD|OUTPUT|POSTROUTING) .*-j (KUBE|CNI)-' | sed 's/^-A /-D /' | while read -r rule; do
      eval "$cmd -t $table $rule" 2>/dev/null
    done
    chains=$($cmd-save -t "$table" 2>/dev/null | awk '/^:(KUBE|CNI)-/ { print substr($1, 2) }')
    for c in $chains; do $cmd -t "$table" -F "$c" 2>/dev/null; done
    for c in $chains; do $cmd -t "$table" -X "$c" 2>/dev/null; done
  done
done
for set in $(ipset list -n 2>/dev/null | grep -E '^(inet6:)?(KUBE-|kube-router-)'); do ipset destroy "$set" 2>/dev/null; done
ip link del '${NODE_BRIDGE}' 2>/dev/null
# The node tests' "internet" network namespaces (zy-inet-*): their servers, then the namespaces
# (deleting one also removes its veth pair).
for ns in $(ip netns list 2>/dev/null | awk '/^zy-inet-/ { print $1 }'); do
  for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  ip netns del "$ns" 2>/dev/null
done
# Pod cgroups (kubelet's cgroupfs driver, cgroups v1).
for ctl in /sys/fs/cgroup/*/kubepods; do [ -d "$ctl" ] && find "$ctl" -depth -type d -exec rmdir {} \\; 2>/dev/null; done
rm -rf '${MACHINE_LOCK}'
exit 0
`;
}

/** Runs the cleanup script of a node directory (if the node got that far). */
export function cleanupNode(script: string): void {
  if (existsSync(script)) spawnSync("sh", [script], { stdio: "ignore", timeout: 120_000 });
}

async function sh(command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args)).stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

/** What kube-router reads (its upstream ClusterRole, less what routing and the service proxy need). */
const KUBE_ROUTER_RULES = [
  { apiGroups: [""], resources: ["namespaces", "pods", "services", "nodes", "endpoints"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["get", "list", "watch"] },
];

async function ensureObject(ctx: NodeContext, path: string, body: unknown): Promise<void> {
  const r = await ctx.post(path, body);
  if (r.status !== 201 && r.status !== 409) throw new Error(`POST ${path}: ${r.status} ${r.body}`);
}

/** kube-router as the NetworkPolicy firewall only: no BGP routing, no service proxy, no CNI config. */
async function startFirewall(ctx: NodeContext, nodeDir: string): Promise<void> {
  const user = "system:zhengyun:kube-router";
  await ensureObject(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterroles", {
    metadata: { name: "zhengyun:kube-router" },
    rules: KUBE_ROUTER_RULES,
  });
  await ensureObject(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    metadata: { name: "zhengyun:kube-router" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "zhengyun:kube-router" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
  });
  const cert = await signClientCert(ctx.pki, "kube-router", `/CN=${user}`);
  const kubeconfig = join(nodeDir, "kube-router.kubeconfig");
  await writeKubeconfig(kubeconfig, { server: ctx.server, caCert: ctx.pki.caCert, clientCert: cert.cert, clientKey: cert.key, user });
  const [health] = (await freePorts(1)) as [number];
  ctx.log("starting kube-router (firewall only)");
  const proc = ctx.launch("kube-router", toolPath("kube-router"), [
    `--kubeconfig=${kubeconfig}`,
    `--hostname-override=${NODE_NAME}`,
    "--run-firewall=true",
    "--run-router=false",
    "--run-service-proxy=false",
    "--enable-cni=false",
    "--enable-pod-egress=false",
    "--enable-ipv6=false",
    `--health-port=${health}`,
    "--metrics-port=0",
    "--v=1",
  ]);
  await ctx.waitFor("kube-router /healthz", proc, async () => {
    const r = await fetch(`http://127.0.0.1:${health}/healthz`).catch(() => undefined);
    return r?.status === 200;
  });
}

/**
 * Imports an image archive (OCI layout, named `ref` in its index) into the node's containerd, also
 * under its aliases and each name by digest: the CRI finds a reference pinned by digest only under
 * that name.
 */
export async function importImage(socket: string, image: { archive: string; ref: string; digest: string; aliases?: readonly string[] }): Promise<void> {
  await sh("ctr", ["--address", socket, "-n", "k8s.io", "images", "import", image.archive]);
  for (const name of [image.ref, ...(image.aliases ?? [])]) {
    const byDigest = `${name.slice(0, name.lastIndexOf(":"))}@${image.digest}`;
    for (const alias of name === image.ref ? [byDigest] : [name, byDigest]) {
      await sh("ctr", ["--address", socket, "-n", "k8s.io", "images", "tag", "--force", image.ref, alias]);
    }
  }
}

/** Starts containerd, imports the images, starts kube-proxy and kubelet, waits for Ready. */
export async function startNode(ctx: NodeContext): Promise<NodeState> {
  const missing = missingNodePackages();
  if (missing.length > 0) {
    throw new Error(`the local node needs Debian packages: apt-get install ${missing.join(" ")}`);
  }
  for (const tool of ["kubelet", "kube-proxy", "kube-router", "coredns", "zy-fscrypt"] as const) {
    if (!existsSync(toolPath(tool))) throw new Error(`${toolPath(tool)} is missing; build the toolchain with \`node infra/toolchain/ensure.mjs\``);
  }
  const nodeDir = join(ctx.dir, "node");
  await mkdir(join(nodeDir, "cni", "net.d"), { recursive: true });
  const script = join(nodeDir, "cleanup.sh");
  await writeFile(script, cleanupScript(nodeDir, ctx.dir), { mode: 0o755 });
  const lockAsked = Date.now();
  const releaseLock = takeMachineLock(ctx.dir);
  ctx.waited?.(Date.now() - lockAsked);
  ctx.onCleanup(["sh", script]);
  try {
    // Leftovers of a node whose cleanup never ran (e.g. the machine lost power).
    spawnSync("ip", ["link", "del", NODE_BRIDGE], { stdio: "ignore" });
    await sh("ip", ["link", "add", NODE_BRIDGE, "type", "bridge"]);
    await sh("ip", ["addr", "add", `${NODE_IP}/24`, "dev", NODE_BRIDGE]);
    await sh("ip", ["link", "set", NODE_BRIDGE, "up"]);

    ctx.log("building the node's images");
    const images: BuiltImage[] = [...(await buildNodeImages([...NODE_IMAGES, EGRESS_GATEWAY_IMAGE])), await buildCorednsImage()];
    const started = Date.now();

    await writeFile(join(nodeDir, "containerd.toml"), containerdConfig(nodeDir));
    await mkdir(join(nodeDir, "certs.d", "_default"), { recursive: true });
    await writeFile(
      join(nodeDir, "certs.d", "_default", "hosts.toml"),
      'server = "http://127.0.0.1:9"\n\n[host."http://127.0.0.1:9"]\n  capabilities = ["pull", "resolve"]\n',
    );
    await writeFile(join(nodeDir, "cni", "net.d", "10-zhengyun.conflist"), cniConfig(nodeDir));
    const socket = join(nodeDir, "containerd.sock");
    ctx.log("starting containerd");
    const containerd = ctx.launch("containerd", "containerd", ["--config", join(nodeDir, "containerd.toml")]);
    await ctx.waitFor("containerd", containerd, async () => {
      if (!existsSync(socket)) return false;
      await run("ctr", ["--address", socket, "version"]);
      return true;
    });
    for (const image of images) await importImage(socket, image);

    const [kubeletPort, kubeletHealthz, proxyMetrics, proxyHealthz] = (await freePorts(4)) as [number, number, number, number];
    const kubelet = await signClientCert(ctx.pki, "kubelet", `/O=system:nodes/CN=system:node:${NODE_NAME}`);
    const kubeletKubeconfig = join(nodeDir, "kubelet.kubeconfig");
    await writeKubeconfig(kubeletKubeconfig, {
      server: ctx.server,
      caCert: ctx.pki.caCert,
      clientCert: kubelet.cert,
      clientKey: kubelet.key,
      user: `system:node:${NODE_NAME}`,
    });
    const proxy = await signClientCert(ctx.pki, "kube-proxy", "/CN=system:kube-proxy");
    const proxyKubeconfig = join(nodeDir, "kube-proxy.kubeconfig");
    await writeKubeconfig(proxyKubeconfig, {
      server: ctx.server,
      caCert: ctx.pki.caCert,
      clientCert: proxy.cert,
      clientKey: proxy.key,
      user: "system:kube-proxy",
    });

    await writeFile(join(nodeDir, "kube-proxy.json"), kubeProxyConfig(proxyKubeconfig, { metrics: proxyMetrics, healthz: proxyHealthz }));
    ctx.log("starting kube-proxy");
    ctx.launch("kube-proxy", toolPath("kube-proxy"), [`--config=${join(nodeDir, "kube-proxy.json")}`, "--v=1"]);

    await writeFile(join(nodeDir, "kubelet.json"), kubeletConfig(nodeDir, ctx.pki, { kubelet: kubeletPort, healthz: kubeletHealthz }));
    ctx.log("starting kubelet");
    const kubeletProc = ctx.launch("kubelet", toolPath("kubelet"), [
      `--config=${join(nodeDir, "kubelet.json")}`,
      `--kubeconfig=${kubeletKubeconfig}`,
      `--root-dir=${join(nodeDir, "kubelet")}`,
      `--hostname-override=${NODE_NAME}`,
      `--node-ip=${NODE_IP}`,
      "--v=1",
    ]);
    await ctx.waitFor(`node ${NODE_NAME} Ready`, kubeletProc, async () => {
      const r = await ctx.get(`/api/v1/nodes/${NODE_NAME}`);
      if (r.status !== 200) return false;
      const node = JSON.parse(r.body) as { status?: { conditions?: { type: string; status: string }[] } };
      return node.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
    });
    await startFirewall(ctx, nodeDir);
    const volumes = await startVolumes(ctx, nodeDir, NODE_NAME);
    await startClusterDns({ ...ctx, nodeIp: NODE_IP, apiserverPort: Number(new URL(ctx.server).port) });
    const startMs = Date.now() - started;
    ctx.log(`node ${NODE_NAME} Ready in ${(startMs / 1000).toFixed(1)}s`);
    return {
      name: NODE_NAME,
      dir: nodeDir,
      ip: NODE_IP,
      podCidr: POD_CIDR,
      containerdSocket: socket,
      cleanupScript: script,
      images: images.map((i) => ({ ref: i.ref, aliases: i.aliases ?? [], digest: i.digest, archive: i.archive, buildSeconds: i.seconds })),
      startMs,
      volumes,
      dnsIp: CLUSTER_DNS_IP,
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}
