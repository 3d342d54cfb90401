// Cluster DNS on the local node: CoreDNS (built in the toolchain with only the plugins its
// Corefile uses, and no forwarder), packaged as an image like the node's own, run as a Deployment
// in kube-system behind the `kube-dns` Service at CLUSTER_DNS_IP, the address kubelet gives pods.
// It answers for cluster.local (and reverse lookups) from the API server and refuses every other
// name: no query leaves the machine.
//
// CoreDNS reads the API server as any in-cluster client does, through the `kubernetes` Service;
// its endpoint is a relay (apiserver-relay.mjs) on the node's address, since the API server listens on the
// machine's loopback only.

import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { toolchainRoot, VERSIONS } from "../../toolchain/manifest.mjs";
import { toolPath } from "../toolchain.js";
import { type BuiltImage, type ImageSpec, ociArchive } from "./images.js";
import type { Managed } from "./processes.js";

/** The cluster DNS Service's address (kubelet's `clusterDNS`), in the Service range 10.96.0.0/12. */
export const CLUSTER_DNS_IP = "10.96.0.10";
export const CLUSTER_DOMAIN = "cluster.local";
/** Where the API server relay listens on the node's address (the `kubernetes` Service's endpoint). */
export const API_RELAY_PORT = 6443;
/** The labels the platform's DNS NetworkPolicy lets systems reach (policies' DNS_POD_LABELS). */
const DNS_LABELS = { "k8s-app": "kube-dns" };

export const COREDNS_IMAGE: ImageSpec = {
  ref: `zhengyun.local/coredns:${VERSIONS.coredns.slice(1)}`,
  program: "coredns",
  path: "/coredns",
  cmd: ["-conf", "/etc/coredns/Corefile"],
};

const RELAY_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "apiserver-relay.mjs");

/** Packages the toolchain's CoreDNS binary as an image archive, cached under the binary's hash. */
export async function buildCorednsImage(): Promise<BuiltImage> {
  const started = Date.now();
  const binary = readFileSync(toolPath("coredns"));
  const hash = createHash("sha256").update(binary).digest("hex").slice(0, 16);
  const dir = join(toolchainRoot(), "images", `coredns-${hash}`);
  const archive = join(dir, "coredns.oci.tar");
  const digestFile = `${archive}.digest`;
  if (existsSync(archive) && existsSync(digestFile)) {
    return { ...COREDNS_IMAGE, archive, digest: readFileSync(digestFile, "utf8").trim(), seconds: 0 };
  }
  await mkdir(dir, { recursive: true });
  const oci = ociArchive(COREDNS_IMAGE, binary);
  await writeFile(`${archive}.tmp`, oci.archive);
  await rename(`${archive}.tmp`, archive);
  await writeFile(digestFile, `${oci.digest}\n`);
  return { ...COREDNS_IMAGE, archive, digest: oci.digest, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/** The Corefile: cluster names and reverse lookups from the API server; nothing forwarded. */
export function corefile(): string {
  return `${CLUSTER_DOMAIN}:53 in-addr.arpa:53 ip6.arpa:53 {
    errors
    health :8080
    ready :8181
    kubernetes ${CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        pods insecure
        ttl 30
    }
    cache 30
}
`;
}

interface Api {
  get: (path: string) => Promise<{ status: number; body: string }>;
  post: (path: string, body: unknown) => Promise<{ status: number; body: string }>;
}

async function ensure(api: Api, path: string, body: { metadata: { name: string } }): Promise<void> {
  const r = await api.post(path, body);
  if (r.status !== 201 && r.status !== 409) throw new Error(`POST ${path} (${body.metadata.name}): ${r.status} ${r.body}`);
}

/** The objects of cluster DNS, in creation order, each with the collection it is posted to. */
export function dnsObjects(): { path: string; body: { metadata: { name: string } } }[] {
  const ns = "kube-system";
  const labels = { ...DNS_LABELS };
  return [
    { path: `/api/v1/namespaces/${ns}/serviceaccounts`, body: { metadata: { name: "coredns" } } },
    {
      path: "/apis/rbac.authorization.k8s.io/v1/clusterroles",
      body: {
        metadata: { name: "zhengyun:coredns" },
        rules: [
          { apiGroups: [""], resources: ["services", "pods", "namespaces"], verbs: ["list", "watch"] },
          { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list", "watch"] },
        ],
      } as { metadata: { name: string } },
    },
    {
      path: "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
      body: {
        metadata: { name: "zhengyun:coredns" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "zhengyun:coredns" },
        subjects: [{ kind: "ServiceAccount", name: "coredns", namespace: ns }],
      } as { metadata: { name: string } },
    },
    { path: `/api/v1/namespaces/${ns}/configmaps`, body: { metadata: { name: "coredns" }, data: { Corefile: corefile() } } as { metadata: { name: string } } },
    {
      path: `/apis/apps/v1/namespaces/${ns}/deployments`,
      body: {
        metadata: { name: "coredns", labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: "coredns",
              priorityClassName: "system-cluster-critical",
              // CoreDNS resolves nothing through the node's resolver (it has no forwarder).
              dnsPolicy: "Default",
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 65532,
                runAsGroup: 65532,
                seccompProfile: { type: "RuntimeDefault" },
                // Port 53 without root or capabilities: only inside the pod's own network namespace.
                sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "53" }],
              },
              containers: [
                {
                  name: "coredns",
                  image: COREDNS_IMAGE.ref,
                  imagePullPolicy: "Never",
                  args: ["-conf", "/etc/coredns/Corefile"],
                  ports: [
                    { name: "dns", containerPort: 53, protocol: "UDP" },
                    { name: "dns-tcp", containerPort: 53, protocol: "TCP" },
                  ],
                  // As CoreDNS's own manifests: no CPU limit (a throttled first sync of a busy machine takes minutes).
                  resources: { requests: { cpu: "100m", memory: "70Mi" }, limits: { memory: "170Mi" } },
                  readinessProbe: { httpGet: { path: "/ready", port: 8181 }, periodSeconds: 2 },
                  livenessProbe: { httpGet: { path: "/health", port: 8080 }, periodSeconds: 10, failureThreshold: 5 },
                  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
                  volumeMounts: [{ name: "config", mountPath: "/etc/coredns", readOnly: true }],
                },
              ],
              volumes: [{ name: "config", configMap: { name: "coredns" } }],
            },
          },
        },
      } as { metadata: { name: string } },
    },
    {
      path: `/api/v1/namespaces/${ns}/services`,
      body: {
        metadata: { name: "kube-dns", labels },
        spec: {
          clusterIP: CLUSTER_DNS_IP,
          selector: labels,
          ports: [
            { name: "dns", port: 53, targetPort: 53, protocol: "UDP" },
            { name: "dns-tcp", port: 53, targetPort: 53, protocol: "TCP" },
          ],
        },
      } as { metadata: { name: string } },
    },
  ];
}

export interface DnsContext extends Api {
  nodeIp: string;
  apiserverPort: number;
  launch: (name: string, command: string, args: string[]) => Managed;
  log: (message: string) => void;
}

/** Starts the API server relay, points the `kubernetes` Service at it and creates cluster DNS. */
export async function startClusterDns(ctx: DnsContext): Promise<void> {
  ctx.log(`relaying ${ctx.nodeIp}:${API_RELAY_PORT} to the API server`);
  ctx.launch("apiserver-relay", process.execPath, [RELAY_SCRIPT, ctx.nodeIp, String(API_RELAY_PORT), "127.0.0.1", String(ctx.apiserverPort)]);
  await ensure(ctx, "/apis/discovery.k8s.io/v1/namespaces/default/endpointslices", {
    metadata: {
      name: "kubernetes",
      labels: { "kubernetes.io/service-name": "kubernetes", "endpointslice.kubernetes.io/managed-by": "zhengyun-node" },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [ctx.nodeIp], conditions: { ready: true } }],
    ports: [{ name: "https", port: API_RELAY_PORT, protocol: "TCP" }],
  } as { metadata: { name: string } });
  for (const o of dnsObjects()) await ensure(ctx, o.path, o.body);
}
