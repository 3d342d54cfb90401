// The egress gateway in the cluster: Squid as a Deployment of two replicas in the
// `zhengyun-egress` namespace, behind the Service `zhengyun-egress` (the common port 3128, which
// admits nothing, and one port per system), its rendered configuration in a Secret of that
// namespace (tenants have no rights there), and one NetworkPolicy per system port that opens the
// port to that system's namespace only.
//
// Reload: the pod template carries the configuration's hash, so a new configuration is a rolling
// update (one new pod at a time, none taken away before its successor is ready). An old pod gets
// SIGTERM once its endpoint is removed; Squid then stops accepting and lets open transfers finish
// for `shutdown_lifetime` seconds, within the pod's grace period: connections are drained, not cut.
// Chosen over `squid -k reconfigure` from a watcher in the pod because a mounted Secret reaches a
// running pod only at the kubelet's next sync (up to a minute or more, and not observable from
// here), while a rollout is observable: when the Deployment reports every replica updated and
// ready, every gateway serves the new rules, so a released system's access is known to be gone.
// A configuration Squid refuses leaves the new pod unready and the old ones serving.
//
// Log: every pod's Squid sends each access-log line over TCP (Squid's own `tcp` log module) to
// the controller's collector, which stores it like the loopback tier's shipper (see ingest.ts).

import { createHash } from "node:crypto";
import type { Db } from "@zhengyun/db/client";
import { GATEWAY_PORTS } from "@zhengyun/policies/controls/zone-egress/control";
import type { KubeObject } from "@zhengyun/policies/definitions";
import { type Kube, waitFor } from "@zhengyun/policies/kube";
import { EGRESS_NAMESPACE, NAMESPACE_NAME_LABEL, ZONE_LABEL } from "@zhengyun/policies/model/labels";
import type { ApplyResult } from "./gateway.js";
import type { EgressLogCollector } from "./ingest.js";
import type { GatewaySettings, RenderedGateway } from "./render.js";
import type { ShipResult } from "./store.js";

export const GATEWAY_NAME = "zhengyun-egress-gateway";
export const GATEWAY_SERVICE = "zhengyun-egress";
export const GATEWAY_SECRET = "zhengyun-egress-gateway-config";
export const CONFIG_HASH_ANNOTATION = "zhengyun.gov.cn/gateway-config-hash";
export const PORT_LABEL = "zhengyun.gov.cn/egress-port";
const MANAGED_BY = { "app.kubernetes.io/managed-by": "zhengyun-controller" } as const;
const SELECTOR = { "app.kubernetes.io/name": GATEWAY_NAME } as const;
/** Debian's proxy account, which the image runs as. */
const PROXY_ID = 13;
const CONFIG_DIR = "/etc/zhengyun-egress";
const RUN_DIR = "/run/squid";
export const COMMON_PORT = Number(GATEWAY_PORTS[0]?.port ?? 3128);

export interface ClusterGatewayOptions {
  /** The gateway image, from the platform registry (pinned by digest in tests). */
  image: string;
  replicas?: number;
  /** host:port of the controller's log collector, as the gateway pods reach it. */
  collector: string;
  /** An /etc/hosts-style file given to Squid before DNS (tests name their "internet" here). */
  hosts?: string;
  shutdownSeconds?: number;
}

/** The settings the renderer needs for the paths inside the gateway pods. */
export function clusterSettings(options: ClusterGatewayOptions): GatewaySettings {
  return {
    closedPort: COMMON_PORT,
    accessLog: `tcp://${options.collector}`,
    cacheLog: `${RUN_DIR}/cache.log`,
    pidFile: `${RUN_DIR}/squid.pid`,
    coredumpDir: RUN_DIR,
    hostsFile: options.hosts === undefined ? undefined : `${CONFIG_DIR}/hosts`,
    refuseInternalAddresses: true,
    shutdownSeconds: options.shutdownSeconds ?? 20,
  };
}

const b64 = (text: string) => Buffer.from(text).toString("base64");

/** The gateway's objects for a rendered configuration. Pure. */
export function gatewayObjects(rendered: RenderedGateway, options: ClusterGatewayOptions): KubeObject[] {
  const shutdown = options.shutdownSeconds ?? 20;
  const hash = createHash("sha256")
    .update(rendered.config)
    .update("\0")
    .update(options.hosts ?? "")
    .digest("hex");
  const ports = [COMMON_PORT, ...rendered.ports.map((p) => p.port)];
  const meta = (name: string, extra: Record<string, string> = {}) => ({ name, namespace: EGRESS_NAMESPACE, labels: { ...SELECTOR, ...MANAGED_BY, ...extra } });
  const secret: KubeObject = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: meta(GATEWAY_SECRET),
    type: "Opaque",
    data: { "squid.conf": b64(rendered.config), ...(options.hosts === undefined ? {} : { hosts: b64(options.hosts) }) },
  };
  const deployment: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: meta(GATEWAY_NAME),
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { ...SELECTOR } },
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...SELECTOR }, annotations: { [CONFIG_HASH_ANNOTATION]: `sha256:${hash}` } },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: shutdown + 10,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: PROXY_ID,
            runAsGroup: PROXY_ID,
            fsGroup: PROXY_ID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "squid",
              image: options.image,
              imagePullPolicy: "IfNotPresent",
              args: ["-N", "-d", "1", "-f", `${CONFIG_DIR}/squid.conf`],
              ports: ports.map((port) => ({ name: port === COMMON_PORT ? "common" : `p${port}`, containerPort: port, protocol: "TCP" })),
              readinessProbe: { tcpSocket: { port: COMMON_PORT }, periodSeconds: 2, failureThreshold: 1 },
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "config", mountPath: CONFIG_DIR, readOnly: true },
                { name: "run", mountPath: RUN_DIR },
              ],
            },
          ],
          volumes: [
            { name: "config", secret: { secretName: GATEWAY_SECRET, defaultMode: 0o440 } },
            { name: "run", emptyDir: { sizeLimit: "64Mi" } },
          ],
        },
      },
    },
  };
  const service: KubeObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: meta(GATEWAY_SERVICE),
    spec: {
      type: "ClusterIP",
      selector: { ...SELECTOR },
      ports: ports.map((port) => ({ name: port === COMMON_PORT ? "common" : `p${port}`, port, targetPort: port, protocol: "TCP" })),
    },
  };
  const policies: KubeObject[] = rendered.ports.map((p) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { ...meta(portPolicyName(p.port), { [PORT_LABEL]: String(p.port) }), annotations: { "zhengyun.gov.cn/system-id": p.systemId } },
    spec: {
      podSelector: { matchLabels: { ...SELECTOR } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace, [ZONE_LABEL]: "external" } } }],
          ports: [{ protocol: "TCP", port: p.port }],
        },
      ],
    },
  }));
  return [secret, service, ...policies, deployment];
}

export const portPolicyName = (port: number) => `zhengyun-egress-port-${port}`;

interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

/** Keeps the gateway's objects equal to the rendered configuration. */
export class ClusterGateway {
  private appliedHash: string | undefined;

  constructor(
    private readonly kube: Kube,
    readonly options: ClusterGatewayOptions,
    private readonly collector: EgressLogCollector,
    private readonly rolloutTimeoutMs = 180_000,
  ) {}

  /** The records the gateway pods sent since the last call (stored as they arrive). */
  collect(_db: Db, _source: string): Promise<ShipResult> {
    return this.collector.collect();
  }

  settings(): GatewaySettings {
    return clusterSettings(this.options);
  }

  get hash(): string | undefined {
    return this.appliedHash;
  }

  /** Applies the objects, removes the policies of ports no longer given, waits for the rollout. */
  async apply(rendered: RenderedGateway): Promise<ApplyResult> {
    const objects = gatewayObjects(rendered, this.options);
    const deployment = objects.at(-1) as KubeObject & { spec: { template: { metadata: { annotations: Record<string, string> } } } };
    const wanted = deployment.spec.template.metadata.annotations[CONFIG_HASH_ANNOTATION];
    const current = (await this.kube.read({ apiVersion: "apps/v1", kind: "Deployment", name: GATEWAY_NAME, namespace: EGRESS_NAMESPACE })) as
      | (KubeObject & { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } })
      | undefined;
    const before = current?.spec?.template?.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
    if (before === wanted && this.appliedHash === rendered.hash) return "unchanged";
    // Policies of new ports and the Service before the pods listen; stale ports' policies after.
    for (const object of objects) await this.kube.apply(object);
    const keep = new Set(rendered.ports.map((p) => portPolicyName(p.port)));
    for (const policy of await this.kube.list("networking.k8s.io/v1", "NetworkPolicy", { namespace: EGRESS_NAMESPACE, labelSelector: PORT_LABEL })) {
      if (!keep.has(policy.metadata.name ?? ""))
        await this.kube.delete({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name: policy.metadata.name ?? "", namespace: EGRESS_NAMESPACE });
    }
    await this.rolledOut();
    this.appliedHash = rendered.hash;
    return current === undefined ? "started" : before === wanted ? "unchanged" : "reconfigured";
  }

  /** Waits until every replica runs the current template and is ready, and no old pod is left. */
  async rolledOut(): Promise<void> {
    await this.waitRolledOut().catch(async (err) => {
      // Say why: each gateway pod's phase and its container's last state.
      const pods = await this.kube.list("v1", "Pod", { namespace: EGRESS_NAMESPACE, labelSelector: `app.kubernetes.io/name=${GATEWAY_NAME}` }).catch(() => []);
      const states = pods.map((p) => {
        const status = p.status as
          | { phase?: string; containerStatuses?: { ready?: boolean; restartCount?: number; state?: unknown; lastState?: unknown }[] }
          | undefined;
        const c = status?.containerStatuses?.[0];
        return `${p.metadata.name}: ${status?.phase} ready=${c?.ready} restarts=${c?.restartCount} state=${JSON.stringify(c?.state)} last=${JSON.stringify(c?.lastState)}`;
      });
      throw new Error(`${(err as Error).message}\n${states.join("\n")}`);
    });
  }

  private async waitRolledOut(): Promise<void> {
    await waitFor(
      "the egress gateway's rollout",
      async () => {
        const d = (await this.kube.read({ apiVersion: "apps/v1", kind: "Deployment", name: GATEWAY_NAME, namespace: EGRESS_NAMESPACE })) as
          | (KubeObject & { spec?: { replicas?: number }; status?: DeploymentStatus })
          | undefined;
        const want = d?.spec?.replicas ?? 0;
        const s = d?.status;
        const done =
          d !== undefined &&
          (s?.observedGeneration ?? 0) >= ((d.metadata as { generation?: number }).generation ?? 0) &&
          s?.updatedReplicas === want &&
          s?.readyReplicas === want &&
          s?.availableReplicas === want &&
          s?.replicas === want;
        return done ? true : undefined;
      },
      this.rolloutTimeoutMs,
      500,
    );
  }

  /** Removes the gateway's objects (the namespace and its baseline policy stay). */
  async remove(): Promise<void> {
    for (const [apiVersion, kind, name] of [
      ["apps/v1", "Deployment", GATEWAY_NAME],
      ["v1", "Service", GATEWAY_SERVICE],
      ["v1", "Secret", GATEWAY_SECRET],
    ] as const)
      await this.kube.delete({ apiVersion, kind, name, namespace: EGRESS_NAMESPACE });
    for (const policy of await this.kube.list("networking.k8s.io/v1", "NetworkPolicy", { namespace: EGRESS_NAMESPACE, labelSelector: PORT_LABEL }))
      await this.kube.delete({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name: policy.metadata.name ?? "", namespace: EGRESS_NAMESPACE });
    this.appliedHash = undefined;
  }
}
