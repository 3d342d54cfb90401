// What the controller reads from PostgreSQL about one system: everything its desired state depends on.

import type { Resource, Zone } from "@zhengyun/db/schema";

export interface ExemptionRow {
  controlId: string;
  reason: string;
  grantedBy: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

export interface SystemSnapshot {
  systemId: string;
  systemName: string;
  namespace: string;
  level: number;
  zone: Zone;
  departmentCode: string;
  driftReportOnly: boolean;
  /** The allocation's generation this snapshot was taken at. */
  generation: number;
  /** The request whose grant this generation carries. */
  requestId: string | null;
  granted: Partial<Record<Resource, number>>;
  /** Live network segments (CIDRs) of the system. */
  segments: string[];
  /** Destinations the granting request allows through the unified egress. */
  egress: { host: string; port: number }[];
  exemptions: ExemptionRow[];
  /** When the snapshot was taken: exemptions that lapsed by then are left out. */
  takenAt: Date;
}
