import type { ControlId } from "../model/control.js";
import type { LimitRangeItem, LimitRangeObject, ResourceQuotaObject } from "../model/k8s.js";
import { canonicalQuantity } from "../model/quantity.js";
import { meta } from "./meta.js";

/** The ResourceQuota a control owns in a system's namespace; its name names the control in quota refusals. */
export function quotaName(id: ControlId): string {
  return `zhengyun-${id}`;
}

function canonical(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, canonicalQuantity(value)]));
}

export function resourceQuota(id: ControlId, namespace: string, hard: Record<string, string>): ResourceQuotaObject {
  return {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: meta(quotaName(id), id, namespace),
    spec: { hard: canonical(hard) },
  };
}

export function limitRange(id: ControlId, namespace: string, limits: LimitRangeItem[]): LimitRangeObject {
  const items = limits.map((item) => {
    const out: LimitRangeItem = { type: item.type };
    if (item.default) out.default = canonical(item.default);
    if (item.defaultRequest) out.defaultRequest = canonical(item.defaultRequest);
    if (item.max) out.max = canonical(item.max);
    if (item.min) out.min = canonical(item.min);
    return out;
  });
  return {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: meta(`zhengyun-${id}`, id, namespace),
    spec: { limits: items },
  };
}
