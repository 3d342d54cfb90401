import { quotaName, resourceQuota } from "../../compile/quota.js";
import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { Level } from "../../model/level.js";

/**
 * `quota`: NodePort / LoadBalancer services only within what ops approved
 * (the quota, 0 unless approved); `deny`: never, whatever was approved.
 */
export type ExposureMode = "quota" | "deny";

export interface NoNodePortParams {
  services: ExposureMode;
}

export const NO_NODEPORT_PARAMS: Record<Level, NoNodePortParams> = {
  1: { services: "quota" },
  2: { services: "quota" },
  3: { services: "deny" },
  4: { services: "deny" },
};

export const noNodePortLb = defineControl<NoNodePortParams>({
  id: "no-nodeport-lb",
  order: 40,
  title: { zh: "禁止 NodePort / LoadBalancer 暴露", en: "No NodePort / LoadBalancer exposure" },
  family: "area-boundary",
  requirement: {
    zh: "边界防护：跨越边界的访问只能经受控接口；系统不得自行在节点或负载均衡上开放端口。",
    en: "Boundary protection: traffic crosses the boundary only through controlled interfaces; systems may not open ports on nodes or load balancers themselves.",
  },
  mechanisms: ["validating-admission-policy", "resource-quota"],
  exemptible: true,
  params: NO_NODEPORT_PARAMS,
  summarize: (p) =>
    p.services === "deny"
      ? { zh: "禁止 NodePort、LoadBalancer 与 externalIPs（配额为 0）", en: "NodePort, LoadBalancer and externalIPs denied (quota 0)" }
      : {
          zh: "NodePort / LoadBalancer 仅限已批准的配额；禁止 externalIPs",
          en: "NodePort / LoadBalancer only within the approved quota; externalIPs denied",
        },
  /** The policy refuses what the level denies; the quota refuses what exceeds the approval. */
  refusals: () => [refusalTag("no-nodeport-lb"), `exceeded quota: ${quotaName("no-nodeport-lb")}`],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "no-nodeport-lb",
        resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["services"], scope: "Namespaced" }],
        matchConditions: [SPEC_CHANGED],
        variables: [],
        rules: [
          {
            expression: "params.data['services'] != 'deny' || !(object.spec.?type.orValue('ClusterIP') in ['NodePort', 'LoadBalancer'])",
            message: { zh: "本级别禁止 NodePort 与 LoadBalancer 服务", en: "NodePort and LoadBalancer services are forbidden at this level" },
            detail: "'type ' + object.spec.type",
          },
          {
            // Claiming arbitrary external IPs intercepts other systems' traffic (CVE-2020-8554): never allowed.
            expression: "object.spec.?externalIPs.orValue([]).size() == 0",
            message: { zh: "禁止 externalIPs", en: "externalIPs are forbidden" },
          },
        ],
      },
      levels.map((l) => ({ level: l.level, params: { services: l.params.services } })),
    ),
  tenant: (ctx, params) => {
    if (ctx.exempt.has("no-nodeport-lb")) return {};
    const deny = params.services === "deny";
    return {
      objects: [
        resourceQuota("no-nodeport-lb", ctx.namespace, {
          "services.nodeports": String(deny ? 0 : ctx.quota.nodePorts),
          "services.loadbalancers": String(deny ? 0 : ctx.quota.loadBalancers),
        }),
      ],
    };
  },
});
