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
      /** After a department approval: what the department's auto-approval rules decided (null: no rule enabled). */
      autoApproval: z
        .discriminatedUnion("approved", [
          z.object({ approved: z.literal(true), ruleId: id, ruleName: z.string(), state: requestState, segment: z.string().nullable() }),
          z.object({
            approved: z.literal(false),
            verdicts: z.array(z.object({ ruleId: id, approve: z.boolean(), reasons: z.array(z.string()).optional() })),
          }),
        ])
        .nullable(),
    }),
  )
  .mutation(({ ctx, input }) => approveRequest(ctx.service, input.id, input.note));
