import { z } from "zod";
import { rejectRequest } from "../../../services/requests/approvals.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { stateChange } from "../outputs.js";

export const reject = rolesProcedure("dept_admin", "ops", "security")
  .input(z.object({ id, reason: z.string().trim().min(2, "give the applicant a reason").max(2000) }))
  .output(stateChange)
  .mutation(({ ctx, input }) => rejectRequest(ctx.service, input.id, input.reason));
