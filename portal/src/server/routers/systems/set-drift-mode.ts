import { z } from "zod";
import { setDriftMode as setDriftModeService } from "../../../services/systems-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const input = z.object({
  id,
  /** true: drift is recorded but not healed; false: the controller heals it. */
  driftReportOnly: z.boolean(),
  reason: z.string().trim().min(4, "explain the decision").max(1000),
});

/** Healing or report-only drift handling is a platform decision, not the department's. */
export const setDriftMode = rolesProcedure("ops", "security")
  .input(input)
  .output(z.object({ id, driftReportOnly: z.boolean() }))
  .mutation(({ ctx, input: { id: systemId, ...rest } }) => setDriftModeService(ctx.service, systemId, rest));
