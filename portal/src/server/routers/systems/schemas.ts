import { z } from "zod";
import { id, level, quantities, zone } from "../../../shared/schemas.js";

export const systemRow = z.object({
  id,
  departmentId: id,
  departmentCode: z.string(),
  departmentName: z.string(),
  name: z.string(),
  purpose: z.string(),
  /** Level and zone as the department proposed them. */
  proposedLevel: level,
  proposedZone: zone,
  /** The level and zone in force: the proposal until graded, then the confirmed values. */
  level,
  graded: z.boolean(),
  gradedByName: z.string().nullable(),
  gradedAt: z.date().nullable(),
  filingNumber: z.string().nullable(),
  zone,
  ownerName: z.string(),
  namespace: z.string(),
  driftReportOnly: z.boolean(),
  retired: z.boolean(),
  phase: z.string().nullable(),
  holdsResources: z.boolean(),
  updatedAt: z.date(),
});
export const systemDetail = systemRow.extend({
  granted: quantities,
  used: quantities,
  /** The network segments the system holds now. */
  segments: z.array(z.object({ cidr: z.string(), zone })),
});
