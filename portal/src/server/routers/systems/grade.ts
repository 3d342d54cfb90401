import { z } from "zod";
import { gradeSystem } from "../../../services/systems-service.js";
import { id, level, zone } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const input = z.object({
  id,
  level,
  /** The confirmed zone; the proposed one when absent. */
  zone: zone.optional(),
  /** The 等保备案 filing number: required at level 2 and above (checked by the service). */
  filingNumber: z.string().trim().min(4, "the 等保备案 filing number").max(64).optional(),
  /** Why a graded system's level or zone changes: required when regrading. */
  reason: z.string().trim().min(4, "explain the regrading").max(1000).optional(),
});

export const grade = rolesProcedure("security")
  .input(input)
  .output(z.object({ id, level, zone, graded: z.boolean(), continued: z.array(id), rejected: z.array(id) }))
  .mutation(({ ctx, input: { id: systemId, ...rest } }) => gradeSystem(ctx.service, systemId, rest));
