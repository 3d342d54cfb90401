import type { Quantities } from "@zhengyun/db/quantities";
import type { Zone } from "@zhengyun/db/schema/enums";

/** One reason a request does not fit its system's level and zone, naming the field at fault. */
export interface LevelConflict {
  field: string;
  message: string;
}

/**
 * What a request asks for that the system's level and zone do not allow: internet egress in the
 * internal zone or at level 4, the unified egress's bandwidth outside the external zone, and any
 * storage class but the encrypted one at level 3 and above. Checked when the request is filed and
 * again when grading confirms a level or zone other than the one proposed.
 */
export function levelConflicts(system: { level: number; zone: Zone }, target: Quantities, egressCount: number): LevelConflict[] {
  const out: LevelConflict[] = [];
  if (egressCount > 0 && system.zone !== "external")
    out.push({ field: "egress", message: "internal-zone systems have no internet egress (政务内网与互联网物理隔离)" });
  else if (egressCount > 0 && system.level >= 4) out.push({ field: "egress", message: "level 4 systems have no internet egress" });
  if ((target.egress_mbps ?? 0) > 0 && system.zone !== "external")
    out.push({ field: "resources.egress_mbps", message: "only external-zone systems use the unified egress" });
  if (system.level >= 3 && ((target.storage_standard_gib ?? 0) > 0 || (target.storage_ssd_gib ?? 0) > 0))
    out.push({ field: "resources", message: "level 3 and 4 systems may only use the encrypted storage class" });
  return out;
}
