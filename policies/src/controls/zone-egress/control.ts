import { meta } from "../../compile/meta.js";
import { networkPolicy } from "../../compile/netpol.js";
import { defineControl } from "../../model/control.js";
import { PolicyInputError } from "../../model/errors.js";
import type { ConfigMapObject, KubeObject, NamespaceObject, NetworkPolicyPort } from "../../model/k8s.js";
import { EGRESS_NAMESPACE, EGRESS_ROLE, LEVEL_LABEL, NAMESPACE_NAME_LABEL, PSA_PREFIX, PSA_VERSION, ROLE_LABEL, ZONE_LABEL } from "../../model/labels.js";
import type { Level, Zone } from "../../model/level.js";
import { compileFlows } from "./flows.js";

/** How a system may reach the internet: only through the unified egress, and at level 3 only to listed destinations. */
export type InternetEgress = "via-gateway" | "via-gateway-allow-list" | "none";

export interface ZoneEgressParams {
  internet: InternetEgress;
}

export const ZONE_EGRESS_PARAMS: Record<Level, ZoneEgressParams> = {
  1: { internet: "via-gateway" },
  2: { internet: "via-gateway" },
  3: { internet: "via-gateway-allow-list" },
  4: { internet: "none" },
};

export const DNS_POLICY = "zhengyun-allow-dns";
export const GATEWAY_POLICY = "zhengyun-allow-egress-gateway";
export const GATEWAY_INGRESS_POLICY = "zhengyun-egress-gateway-ingress";
export const DESTINATIONS_CONFIGMAP = "zhengyun-egress-destinations";

/** The cluster DNS service pods. */
export const DNS_NAMESPACE = "kube-system";
export const DNS_POD_LABELS = { "k8s-app": "kube-dns" } as const;
export const DNS_PORTS: NetworkPolicyPort[] = [
  { protocol: "UDP", port: 53 },
  { protocol: "TCP", port: 53 },
];

/**
 * The unified egress is a forward proxy. Its common port admits nothing by itself: every
 * external-zone system is given a port of its own in GATEWAY_SYSTEM_PORTS, and the gateway's
 * namespace opens each such port to its one system only (a NetworkPolicy per port, written by the
 * controller), so the port a request arrives on names the system.
 */
export const GATEWAY_PORTS: NetworkPolicyPort[] = [{ protocol: "TCP", port: 3128 }];
export const GATEWAY_SYSTEM_PORTS = { first: 20001, last: 29999 } as const;
/** What a system's pods may open toward the gateway: the common port and the per-system range. */
export const GATEWAY_CLIENT_PORTS: NetworkPolicyPort[] = [
  ...GATEWAY_PORTS,
  { protocol: "TCP", port: GATEWAY_SYSTEM_PORTS.first, endPort: GATEWAY_SYSTEM_PORTS.last },
];

/** Internet egress for a system: the internal zone never has any. */
export function internetEgress(zone: Zone, params: ZoneEgressParams): InternetEgress {
  return zone === "internal" ? "none" : params.internet;
}

function egressNamespace(): NamespaceObject {
  const metadata = meta(EGRESS_NAMESPACE, "zone-egress", undefined, {
    [ROLE_LABEL]: EGRESS_ROLE,
    [ZONE_LABEL]: "external",
    [`${PSA_PREFIX}/enforce`]: "baseline",
    [`${PSA_PREFIX}/enforce-version`]: PSA_VERSION,
  });
  return { apiVersion: "v1", kind: "Namespace", metadata };
}

function destinationsConfigMap(namespace: string, mode: InternetEgress, destinations: readonly string[]): ConfigMapObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: meta(DESTINATIONS_CONFIGMAP, "zone-egress", namespace),
    data: { mode, destinations: [...new Set(destinations)].sort().join("\n") },
  };
}

export const zoneEgress = defineControl<ZoneEgressParams>({
  id: "zone-egress",
  order: 30,
  title: { zh: "区域隔离与统一互联网出口", en: "Zone isolation and unified internet egress" },
  family: "communication-network",
  requirement: {
    zh: "网络架构与边界防护：政务内网与外网隔离，不同级别系统间通信需批准；互联网访问只经统一出口的受控接口。",
    en: "Network architecture and boundary protection: the internal and external zones are isolated, traffic between levels needs approval, and internet access goes only through the controlled unified egress.",
  },
  mechanisms: ["network-policy"],
  exemptible: false,
  params: ZONE_EGRESS_PARAMS,
  summarize: (p) => {
    const internet: Record<InternetEgress, { zh: string; en: string }> = {
      "via-gateway": { zh: "外网系统仅经统一出口访问互联网", en: "external-zone systems reach the internet only via the unified egress" },
      "via-gateway-allow-list": {
        zh: "外网系统仅经统一出口访问白名单目的地址",
        en: "external-zone systems reach only allow-listed destinations via the unified egress",
      },
      none: { zh: "无互联网出口", en: "no internet egress" },
    };
    return {
      zh: `允许 DNS；跨区域及低级别到高级别的通信须经批准；${internet[p.internet].zh}；内网系统无互联网出口`,
      en: `DNS allowed; cross-zone and lower-to-higher-level traffic only when approved; ${internet[p.internet].en}; internal-zone systems have none`,
    };
  },
  cluster: (levels) => {
    const gatewayLevels = levels.filter((l) => l.params.internet !== "none").map((l) => String(l.level));
    const objects: KubeObject[] = [egressNamespace()];
    objects.push(
      networkPolicy(GATEWAY_INGRESS_POLICY, EGRESS_NAMESPACE, "zone-egress", {
        podSelector: {},
        policyTypes: ["Ingress"],
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [
                    { key: ZONE_LABEL, operator: "In", values: ["external"] },
                    { key: LEVEL_LABEL, operator: "In", values: gatewayLevels },
                  ],
                },
              },
            ],
            ports: GATEWAY_PORTS,
          },
        ],
      }),
    );
    return objects;
  },
  tenant: (ctx, params) => {
    const mode = internetEgress(ctx.zone, params);
    if (mode === "none" && ctx.egressAllowList.length > 0) {
      throw new PolicyInputError(
        "egress-not-allowed",
        `${ctx.system}: a level ${ctx.level} ${ctx.zone}-zone system has no internet egress, so it cannot have an egress allow-list`,
      );
    }
    const objects: KubeObject[] = [
      networkPolicy(DNS_POLICY, ctx.namespace, "zone-egress", {
        podSelector: {},
        policyTypes: ["Egress"],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE } },
                podSelector: { matchLabels: { ...DNS_POD_LABELS } },
              },
            ],
            ports: DNS_PORTS,
          },
        ],
      }),
    ];
    if (mode !== "none") {
      objects.push(
        networkPolicy(GATEWAY_POLICY, ctx.namespace, "zone-egress", {
          podSelector: {},
          policyTypes: ["Egress"],
          egress: [
            {
              to: [
                {
                  namespaceSelector: {
                    matchLabels: { [NAMESPACE_NAME_LABEL]: EGRESS_NAMESPACE, [ROLE_LABEL]: EGRESS_ROLE },
                  },
                },
              ],
              ports: GATEWAY_CLIENT_PORTS,
            },
          ],
        }),
      );
    }
    // What the unified egress lets this system reach; an allow-list narrows "any".
    const effective: InternetEgress = mode === "via-gateway" && ctx.egressAllowList.length > 0 ? "via-gateway-allow-list" : mode;
    objects.push(destinationsConfigMap(ctx.namespace, effective, effective === "via-gateway-allow-list" ? ctx.egressAllowList : []));
    objects.push(...compileFlows(ctx.system, ctx.namespace, { zone: ctx.zone, level: ctx.level }, ctx.flows));
    return { objects };
  },
});
