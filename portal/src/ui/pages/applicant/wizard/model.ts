/** The request wizard's form values and how they become a requests.create input. */
import { allowedStorage, egressBlockedBecause, type Zone } from "../../../lib/policy.js";
import { type Quantities, RESOURCES, type Resource } from "../../../lib/resources.js";

export type RequestedResource = Exclude<Resource, "segments">;

/** Anything with a `toDate()`, i.e. the dayjs value antd's DatePicker gives. */
export interface DateValue {
  toDate(): Date;
}

export interface WizardValues {
  systemId?: string;
  resources: Partial<Record<RequestedResource, number | null>>;
  /** 0 means no new segment. */
  segmentPrefix: number;
  egress: { host?: string; port?: number | null }[];
  expiresAt?: DateValue | null;
  justification?: string;
}

export interface SystemFacts {
  id: string;
  level: number;
  zone: Zone;
}

export const STEPS = ["compute", "storage", "network", "term", "review"] as const;
export type Step = (typeof STEPS)[number];

/** Top-level form fields per step, for step-wise validation and for showing server errors. */
export const STEP_FIELDS: Record<Step, (string | (string | number)[])[]> = {
  compute: ["systemId", ["resources", "vcpu"], ["resources", "memory_gib"]],
  storage: [
    ["resources", "storage_standard_gib"],
    ["resources", "storage_ssd_gib"],
    ["resources", "storage_encrypted_gib"],
  ],
  network: ["segmentPrefix", "egress", ["resources", "egress_mbps"]],
  term: ["expiresAt", "justification"],
  review: [],
};

/** The step that shows a server field such as "resources.vcpu" or "egress.0.host". */
export function stepOfField(field: string): Step {
  const [head, sub] = field.split(".");
  if (head === "resources" && sub) {
    if (sub.startsWith("storage_")) return "storage";
    if (sub === "egress_mbps") return "network";
    return "compute";
  }
  if (head === "segmentPrefix" || head === "egress") return "network";
  if (head === "expiresAt" || head === "justification") return "term";
  return "compute";
}

/** The system's totals after the request, with only what its level and zone allow. */
export function targetOf(values: WizardValues, system: SystemFacts | undefined): Quantities {
  const storage = allowedStorage(system?.level ?? 1);
  const egressAllowed = system ? egressBlockedBecause(system.zone, system.level) === null : false;
  const out: Quantities = {};
  for (const r of RESOURCES) {
    if (r === "segments") continue;
    if (r.startsWith("storage_") && !storage.includes(r as (typeof storage)[number])) continue;
    if (r === "egress_mbps" && !egressAllowed) continue;
    const v = values.resources[r] ?? 0;
    if (v > 0) out[r] = v;
  }
  return out;
}

/** The request's resource target including segments (current live segments + the new one). */
export function targetWithSegments(values: WizardValues, system: SystemFacts | undefined, currentSegments: number): Quantities {
  return { ...targetOf(values, system), segments: currentSegments + (values.segmentPrefix ? 1 : 0) };
}

export function toRequestInput(values: WizardValues, system: SystemFacts, kind: "new" | "change", submit: boolean) {
  const egressAllowed = egressBlockedBecause(system.zone, system.level) === null;
  return {
    systemId: system.id,
    kind,
    resources: targetOf(values, system) as Partial<Record<RequestedResource, number>>,
    segmentPrefix: values.segmentPrefix ? values.segmentPrefix : null,
    egress: egressAllowed ? values.egress.filter((e) => e.host && e.port).map((e) => ({ host: (e.host ?? "").trim(), port: Number(e.port) })) : [],
    expiresAt: values.expiresAt ? values.expiresAt.toDate() : null,
    justification: (values.justification ?? "").trim(),
    submit,
  };
}
