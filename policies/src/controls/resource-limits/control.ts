import { limitRange, quotaName, resourceQuota } from "../../compile/quota.js";
import { compileVapControl, refusalTag } from "../../compile/vap.js";
import { POD_SPEC_RULES, POD_SPEC_VARIABLES, SPEC_CHANGED } from "../../compile/workloads.js";
import { defineControl } from "../../model/control.js";
import type { LimitRangeItem } from "../../model/k8s.js";
import type { Level } from "../../model/level.js";

export interface ResourceLimitsParams {
  /** Resources every container must declare a limit for. */
  required: readonly ("cpu" | "memory")[];
  /** Largest limit one container may have. */
  maxPerContainer: { cpu: string; memory: string };
  /** Request given to a container that declares none. */
  defaultRequest: { cpu: string; memory: string };
}

const PARAMS: ResourceLimitsParams = {
  required: ["cpu", "memory"],
  maxPerContainer: { cpu: "4", memory: "8Gi" },
  defaultRequest: { cpu: "100m", memory: "128Mi" },
};

export const RESOURCE_LIMITS_PARAMS: Record<Level, ResourceLimitsParams> = { 1: PARAMS, 2: PARAMS, 3: PARAMS, 4: PARAMS };

const LIMITED = "variables.required.all(r, r in c.?resources.?limits.orValue({}))";
/** A declared limit above the per-container maximum (undeclared ones are the other rule's business). */
const OVER_MAX =
  "variables.maxima.exists(r, r in c.?resources.?limits.orValue({}) && quantity(string(c.resources.limits[r])).isGreaterThan(quantity(params.data['max.' + r])))";

/**
 * Limits must be declared by the author, so the LimitRange sets only default
 * requests: it never fills in a limit (that would make the rule unobservable),
 * and the maximum is checked by the policy, whose refusal names the control.
 * Under an exemption it fills in the default request as the limit, so pods of
 * the exempted system still satisfy the compute quota.
 */
function limitRangeItems(params: ResourceLimitsParams, exempt: boolean): LimitRangeItem[] {
  const container: LimitRangeItem = { type: "Container", defaultRequest: { ...params.defaultRequest } };
  if (exempt) container.default = { ...params.defaultRequest };
  return [container];
}

export const resourceLimits = defineControl<ResourceLimitsParams>({
  id: "resource-limits",
  order: 80,
  title: { zh: "容器资源限制", en: "Container resource limits" },
  family: "cloud-extension",
  requirement: {
    zh: "资源隔离与可用性：每个容器声明资源上限，系统用量受配额约束，不挤占其他单位的资源。",
    en: "Resource isolation and availability: every container declares limits and the system stays within its quota, so it cannot starve other units.",
  },
  mechanisms: ["validating-admission-policy", "limit-range", "resource-quota"],
  exemptible: true,
  params: RESOURCE_LIMITS_PARAMS,
  summarize: (p) => ({
    zh: `每个容器须声明 ${p.required.join("、")} 上限（单容器最多 ${p.maxPerContainer.cpu} 核 / ${p.maxPerContainer.memory}）；计算配额`,
    en: `every container declares ${p.required.join(" and ")} limits (at most ${p.maxPerContainer.cpu} cores / ${p.maxPerContainer.memory} each); compute quota`,
  }),
  refusals: () => [refusalTag("resource-limits"), `exceeded quota: ${quotaName("resource-limits")}`],
  cluster: (levels) =>
    compileVapControl(
      {
        id: "resource-limits",
        resourceRules: POD_SPEC_RULES,
        matchConditions: [SPEC_CHANGED],
        variables: [
          ...POD_SPEC_VARIABLES,
          { name: "required", expression: "params.data['required'].split(',')" },
          { name: "maxima", expression: "['cpu', 'memory'].filter(r, ('max.' + r) in params.data)" },
        ],
        rules: [
          {
            expression: `variables.containers.all(c, ${LIMITED})`,
            message: { zh: "容器未声明资源上限", en: "containers must declare resource limits" },
            detail: `variables.containers.filter(c, !(${LIMITED})).map(c, c.name).join(', ') + ' (' + variables.required.join(', ') + ')'`,
          },
          {
            expression: `variables.containers.all(c, !(${OVER_MAX}))`,
            message: { zh: "容器资源上限超过单容器最大值", en: "container limit above the per-container maximum" },
            detail: `variables.containers.filter(c, ${OVER_MAX}).map(c, c.name).join(', ')`,
          },
        ],
      },
      levels.map((l) => ({
        level: l.level,
        params: {
          required: l.params.required.join(","),
          "max.cpu": l.params.maxPerContainer.cpu,
          "max.memory": l.params.maxPerContainer.memory,
        },
      })),
    ),
  tenant: (ctx, params) => ({
    objects: [
      limitRange("resource-limits", ctx.namespace, limitRangeItems(params, ctx.exempt.has("resource-limits"))),
      resourceQuota("resource-limits", ctx.namespace, {
        "requests.cpu": ctx.quota.cpu,
        "limits.cpu": ctx.quota.cpu,
        "requests.memory": ctx.quota.memory,
        "limits.memory": ctx.quota.memory,
        pods: String(ctx.quota.pods),
      }),
    ],
  }),
});
