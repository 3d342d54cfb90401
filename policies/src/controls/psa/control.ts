import { defineControl } from "../../model/control.js";
import { PSA_MODES, PSA_PREFIX, PSA_VERSION } from "../../model/labels.js";
import type { Level } from "../../model/level.js";
import { compileTemplatePolicy, type EnforcedProfile } from "./templates.js";

export type PodSecurityLevel = "privileged" | "baseline" | "restricted";

export interface PsaParams {
  enforce: PodSecurityLevel;
  audit: PodSecurityLevel;
  warn: PodSecurityLevel;
}

/** L1 baseline; L2 baseline, warned and audited against restricted; L3/L4 restricted. */
export const PSA_PARAMS: Record<Level, PsaParams> = {
  1: { enforce: "baseline", audit: "baseline", warn: "baseline" },
  2: { enforce: "baseline", audit: "restricted", warn: "restricted" },
  3: { enforce: "restricted", audit: "restricted", warn: "restricted" },
  4: { enforce: "restricted", audit: "restricted", warn: "restricted" },
};

/**
 * Pod Security Admission namespace labels with pinned versions. An exemption
 * lowers only `enforce` (to privileged): audit and warn keep reporting, so the
 * exempted system stays visible.
 */
export function psaLabels(params: PsaParams, exempt: boolean): Record<string, string> {
  const levels: PsaParams = exempt ? { ...params, enforce: "privileged" } : params;
  const labels: Record<string, string> = {};
  for (const mode of PSA_MODES) {
    labels[`${PSA_PREFIX}/${mode}`] = levels[mode];
    labels[`${PSA_PREFIX}/${mode}-version`] = PSA_VERSION;
  }
  return labels;
}

export const psa = defineControl<PsaParams>({
  id: "psa",
  order: 10,
  title: { zh: "Pod 安全标准", en: "Pod Security Standards" },
  family: "computing-environment",
  requirement: {
    zh: "访问控制与入侵防范：工作负载仅获得所需的最小权限，禁止提权、危险能力和不安全的内核配置。",
    en: "Access control and intrusion prevention: workloads get the least privilege they need; no privilege escalation, dangerous capabilities or unsafe kernel settings.",
  },
  mechanisms: ["pod-security-admission", "validating-admission-policy"],
  exemptible: true,
  params: PSA_PARAMS,
  summarize: (p) => ({
    zh: `强制 ${p.enforce}（Pod 及工作负载模板），审计 ${p.audit}，告警 ${p.warn}（${PSA_VERSION}）`,
    en: `enforce ${p.enforce} (pods and workload templates), audit ${p.audit}, warn ${p.warn} (${PSA_VERSION})`,
  }),
  refusals: (p) => [`violates PodSecurity "${p.enforce}:${PSA_VERSION}"`],
  /** Pods are judged by Pod Security Admission; workload templates by a policy with its checks and messages. */
  cluster: (levels) =>
    compileTemplatePolicy(levels.flatMap((l) => (l.params.enforce === "privileged" ? [] : [{ level: l.level, profile: l.params.enforce as EnforcedProfile }]))),
  tenant: (ctx, params) => ({ labels: psaLabels(params, ctx.exempt.has("psa")) }),
});
