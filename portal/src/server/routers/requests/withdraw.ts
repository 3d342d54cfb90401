import { z } from "zod";
import { withdrawRequest } from "../../../services/requests/drafts.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { stateChange } from "../outputs.js";

export const withdraw = rolesProcedure("applicant", "dept_admin")
  .input(z.object({ id, reason: z.string().trim().max(1000).nullable().default(null) }))
  .output(stateChange)
  .mutation(({ ctx, input }) => withdrawRequest(ctx.service, input.id, input.reason));
