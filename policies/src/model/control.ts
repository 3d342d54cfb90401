import type { KubeObject } from "./k8s.js";
import type { Level, Zone } from "./level.js";
import { LEVELS } from "./level.js";
import type { FlowGrant, TenantQuota } from "./tenant.js";

export interface Bilingual {
  zh: string;
  en: string;
}

import { CONTROL_IDS } from "../controls/ids.generated.js";

export { CONTROL_IDS };
export type ControlId = (typeof CONTROL_IDS)[number];

export function isControlId(value: string): value is ControlId {
  return (CONTROL_IDS as readonly string[]).includes(value);
}

/** The MLPS 2.0 (GB/T 22239-2019) requirement families a control answers. */
export const FAMILIES = {
  "communication-network": { zh: "安全通信网络", en: "Secure communication network" },
  "area-boundary": { zh: "安全区域边界", en: "Secure area boundary" },
  "computing-environment": { zh: "安全计算环境", en: "Secure computing environment" },
  "management-center": { zh: "安全管理中心", en: "Security management centre" },
  "cloud-extension": { zh: "云计算扩展要求", en: "Cloud computing extended requirements" },
} as const satisfies Record<string, Bilingual>;
export type FamilyId = keyof typeof FAMILIES;

/** How the Kubernetes API server enforces a control. */
export const MECHANISMS = {
  "pod-security-admission": { zh: "Pod 安全准入（命名空间标签）", en: "Pod Security Admission (namespace labels)" },
  "validating-admission-policy": { zh: "验证准入策略（CEL）", en: "ValidatingAdmissionPolicy (CEL)" },
  "network-policy": { zh: "网络策略", en: "NetworkPolicy" },
  "resource-quota": { zh: "资源配额", en: "ResourceQuota" },
  "limit-range": { zh: "限制范围", en: "LimitRange" },
} as const satisfies Record<string, Bilingual>;
export type Mechanism = keyof typeof MECHANISMS;

/** What a control sees when compiling the namespaced objects of one information system. */
export interface TenantContext {
  system: string;
  department: string;
  namespace: string;
  level: Level;
  zone: Zone;
  quota: TenantQuota;
  flows: readonly FlowGrant[];
  egressAllowList: readonly string[];
  /** Controls with an active (unexpired) exemption for this system. */
  exempt: ReadonlySet<ControlId>;
}

export interface TenantContribution {
  labels?: Record<string, string>;
  objects?: KubeObject[];
}

/** Authoring shape of a control: typed per-level parameters and compile hooks. */
export interface ControlSpec<P extends object> {
  id: ControlId;
  /** Where the catalog presents it (ascending); read by scripts/catalog.ts, which generates the lists. */
  order: number;
  title: Bilingual;
  family: FamilyId;
  /** The MLPS requirement it answers, paraphrased. */
  requirement: Bilingual;
  mechanisms: readonly Mechanism[];
  /** Whether a security officer may grant a time-bound exemption. */
  exemptible: boolean;
  /** Parameters at each level where the control applies. */
  params: Partial<Record<Level, P>>;
  /** One line describing what the parameters demand. */
  summarize(params: P, level: Level): Bilingual;
  /**
   * Substrings that attribute an admission refusal to this control (one of
   * them appears in every refusal it causes). Absent for controls that do not
   * refuse requests (NetworkPolicies drop traffic instead).
   */
  refusals?(params: P, level: Level): readonly string[];
  /** Cluster-wide objects (policies, bindings, parameter objects). */
  cluster?(levels: ReadonlyArray<{ level: Level; params: P }>): KubeObject[];
  /** Namespace labels and namespaced objects for one system at an applicable level. */
  tenant?(ctx: TenantContext, params: P): TenantContribution;
}

/** A control as the rest of the package sees it (parameters erased to JSON). */
export interface Control {
  readonly id: ControlId;
  readonly title: Bilingual;
  readonly family: FamilyId;
  readonly requirement: Bilingual;
  readonly mechanisms: readonly Mechanism[];
  readonly exemptible: boolean;
  readonly levels: readonly Level[];
  appliesAt(level: Level): boolean;
  parameters(level: Level): Readonly<Record<string, unknown>> | undefined;
  summary(level: Level): Bilingual | undefined;
  /** Substrings attributing a refusal to this control at a level; empty where it refuses nothing. */
  refusals(level: Level): readonly string[];
  compileCluster(): KubeObject[];
  compileTenant(ctx: TenantContext): TenantContribution;
}

export function defineControl<P extends object>(spec: ControlSpec<P>): Control {
  const levels = LEVELS.filter((level) => spec.params[level] !== undefined);
  const paramsAt = (level: Level): P | undefined => spec.params[level];
  return {
    id: spec.id,
    title: spec.title,
    family: spec.family,
    requirement: spec.requirement,
    mechanisms: spec.mechanisms,
    exemptible: spec.exemptible,
    levels,
    appliesAt: (level) => paramsAt(level) !== undefined,
    parameters: (level) => {
      const params = paramsAt(level);
      return params === undefined ? undefined : ({ ...params } as Readonly<Record<string, unknown>>);
    },
    summary: (level) => {
      const params = paramsAt(level);
      return params === undefined ? undefined : spec.summarize(params, level);
    },
    refusals: (level) => {
      const params = paramsAt(level);
      return params === undefined || !spec.refusals ? [] : spec.refusals(params, level);
    },
    compileCluster: () => {
      const applicable = levels.map((level) => ({ level, params: paramsAt(level) as P }));
      return spec.cluster ? spec.cluster(applicable) : [];
    },
    compileTenant: (ctx) => {
      const params = paramsAt(ctx.level);
      if (params === undefined || !spec.tenant) return {};
      return spec.tenant(ctx, params);
    },
  };
}
