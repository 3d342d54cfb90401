import { z } from "zod";
import { listRequests } from "../../../services/requests/queries.js";
import { id, requestState } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { checked, requestSummary } from "../outputs.js";

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(
    z
      .object({
        states: z.array(requestState).optional(),
        systemId: id.optional(),
        mine: z.boolean().optional(),
        /** Keyset paging, newest first: the next page starts below the last number seen. */
        beforeNumber: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .default({ limit: 100 }),
  )
  .output(checked(z.array(requestSummary)))
  .query(({ ctx, input }) => listRequests(ctx.service, input));
