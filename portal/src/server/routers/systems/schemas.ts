import { z } from "zod";
import { id, level, quantities, zone } from "../../../shared/schemas.js";

export const systemRow = z.object({
  id,
  departmentId: id,
  departmentName: z.string(),
  name: z.string(),
  purpose: z.string(),
  level,
  graded: z.boolean(),
  filingNumber: z.string().nullable(),
  zone,
  ownerName: z.string(),
  namespace: z.string(),
  driftReportOnly: z.boolean(),
  retired: z.boolean(),
  phase: z.string().nullable(),
  updatedAt: z.date(),
});
export const systemDetail = systemRow.extend({ granted: quantities, used: quantities });
