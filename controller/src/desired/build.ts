// The desired state of one information system: a pure function of its database snapshot and the
// policy catalog. Same snapshot, same objects, same hash.

import type { KubeObject } from "@zhengyun/infra/components/objects";
import { type TenantSpec, tenantObjects } from "@zhengyun/infra/components/tenant-objects";
import { hashOf } from "@zhengyun/policies";
import { CONTROL_IDS, type ControlId, compileTenant, PolicyInputError, type TenantInput } from "./catalog.js";
import { nothingGranted, objectCounts, tenantQuota } from "./quota.js";
import type { SystemSnapshot } from "./snapshot.js";

export const SYSTEM_ID_ANNOTATION = "zhengyun.gov.cn/system-id";
export const SEGMENTS_ANNOTATION = "zhengyun.gov.cn/segments";
export const EGRESS_BANDWIDTH_ANNOTATION = "zhengyun.gov.cn/egress-mbps";

export type DesiredState =
  | {
      action: "apply";
      namespace: string;
      /** What the policy catalog compiled (and what its evidence report is built from). */
      input: TenantInput;
      /** What the TenantSystem component is given. */
      spec: TenantSpec;
      /** Every object the component creates, Namespace first. */
      objects: KubeObject[];
      /** Content hash of `objects`: equal hashes mean nothing to apply. */
      hash: string;
      /** When the desired state changes on its own (an exemption lapses). */
      requeueAt: Date | undefined;
    }
  | { action: "release"; namespace: string; hash: string }
  | { action: "invalid"; namespace: string; reason: string; message: string };

/** A DNS label from a department code (codes are chosen by people; labels are not). */
export function departmentLabel(code: string): string {
  const label = code
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/, "");
  return label || "dept";
}

function activeExemptions(snapshot: SystemSnapshot) {
  return snapshot.exemptions
    .filter((e) => e.revokedAt === null && e.expiresAt.getTime() > snapshot.takenAt.getTime())
    .filter((e): e is typeof e & { controlId: ControlId } => (CONTROL_IDS as readonly string[]).includes(e.controlId))
    .map((e) => ({ control: e.controlId, expiresAt: e.expiresAt, grantedBy: e.grantedBy, reason: e.reason }));
}

function annotations(snapshot: SystemSnapshot): Record<string, string> {
  const out: Record<string, string> = { [SYSTEM_ID_ANNOTATION]: snapshot.systemId };
  const segments = [...snapshot.segments].sort();
  if (segments.length > 0) out[SEGMENTS_ANNOTATION] = segments.join(",");
  const egress = snapshot.granted.egress_mbps ?? 0;
  if (egress > 0) out[EGRESS_BANDWIDTH_ANNOTATION] = String(egress);
  return out;
}

/** Level and zone as the catalog types them; anything else is a data error. */
function levelOf(level: number): 1 | 2 | 3 | 4 {
  if (level === 1 || level === 2 || level === 3 || level === 4) return level;
  throw new PolicyInputError("invalid-level", `protection level ${level} is not hosted on the platform`);
}

/**
 * What the cluster should hold for this system. `invalid` when the catalog refuses the input (a
 * non-exemptible exemption, an allow-list where no egress is allowed…): the controller reports it as
 * Stalled instead of applying anything.
 */
export function desiredState(snapshot: SystemSnapshot, options: { tenantRole?: string | undefined } = {}): DesiredState {
  const namespace = snapshot.namespace;
  if (nothingGranted(snapshot.granted)) return { action: "release", namespace, hash: hashOf({ release: namespace }) };
  try {
    const input: TenantInput = {
      system: namespace,
      namespace,
      department: departmentLabel(snapshot.departmentCode),
      level: levelOf(snapshot.level),
      zone: snapshot.zone,
      quota: tenantQuota(snapshot.granted),
      exemptions: activeExemptions(snapshot),
      egressAllowList: snapshot.zone === "external" ? [...new Set(snapshot.egress.map((e) => `${e.host}:${e.port}`))].sort() : [],
      now: snapshot.takenAt,
    };
    const compiled = compileTenant(input);
    const spec: TenantSpec = {
      namespace,
      policyObjects: compiled.objects,
      departmentCode: snapshot.departmentCode,
      objectCounts: objectCounts(snapshot.granted),
      annotations: annotations(snapshot),
      guarded: true,
      tenantRole: options.tenantRole,
    };
    const objects = tenantObjects(spec);
    return { action: "apply", namespace, input, spec, objects, hash: hashOf(objects), requeueAt: compiled.requeueAt };
  } catch (err) {
    if (err instanceof PolicyInputError) return { action: "invalid", namespace, reason: "PolicyRefused", message: `${err.code}: ${err.message}` };
    if (err instanceof Error && err.name === "ZodError") return { action: "invalid", namespace, reason: "InvalidSystem", message: err.message };
    throw err;
  }
}
