import { z } from "zod";
import { approveRequest } from "../../../services/requests/approvals.js";
import { id, requestState } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

/** One procedure for every stage: the request's state says which stage, and so which role, acts. */
export const approve = rolesProcedure("dept_admin", "ops", "security")
  .input(z.object({ id, note: z.string().trim().max(1000).nullable().default(null) }))
  .output(
    z.object({
      id,
      state: requestState,
      segment: z.string().nullable(),
      /** The system is not graded yet: the request waits for the security officer's grading. */
      awaitingGrading: z.boolean(),
    }),
  )
  .mutation(({ ctx, input }) => approveRequest(ctx.service, input.id, input.note));
