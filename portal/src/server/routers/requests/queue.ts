import { z } from "zod";
import { approvalQueue } from "../../../services/requests/queries.js";
import { rolesProcedure } from "../../trpc.js";
import { checked, quantities, requestSummary } from "../outputs.js";

export const queue = rolesProcedure("dept_admin", "ops", "security")
  .input(
    z.object({
      stage: z.enum(["dept", "ops", "security"]),
      /** Keyset paging, newest first: the next page starts below the last number seen. */
      beforeNumber: z.number().int().positive().optional(),
      /** The web UI's page; a caller may ask for up to 200. */
      limit: z.number().int().min(1).max(200).default(100),
    }),
  )
  .output(checked(z.array(requestSummary.extend({ target: quantities, department: z.object({ ceiling: quantities, held: quantities }) }))))
  .query(({ ctx, input }) => approvalQueue(ctx.service, input.stage, input));
