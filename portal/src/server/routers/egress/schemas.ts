import { EGRESS_ACTIONS } from "@zhengyun/db/schema";
import { z } from "zod";
import { id } from "../../../shared/schemas.js";

/** The filters of the 出口访问日志 page and its export. */
export const egressLogFilter = z.object({
  systemId: id.optional(),
  host: z.string().trim().max(253).optional(),
  action: z.enum(EGRESS_ACTIONS).optional(),
  status: z.number().int().min(0).max(999).optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
});

export const egressLogRow = z.object({
  id: z.number(),
  at: z.date(),
  systemId: z.string().nullable(),
  systemName: z.string().nullable(),
  namespace: z.string().nullable(),
  departmentName: z.string().nullable(),
  departmentNameEn: z.string().nullable(),
  client: z.string(),
  method: z.string(),
  host: z.string(),
  port: z.number(),
  status: z.number(),
  action: z.enum(EGRESS_ACTIONS),
  bytesIn: z.number(),
  bytesOut: z.number(),
  durationMs: z.number(),
});
