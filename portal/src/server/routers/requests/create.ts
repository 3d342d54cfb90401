import { z } from "zod";
import { createRequest } from "../../../services/requests/drafts.js";
import { id, requestInput, requestState } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const create = rolesProcedure("applicant")
  .input(requestInput)
  .output(z.object({ id, number: z.number(), state: requestState }))
  .mutation(({ ctx, input }) => createRequest(ctx.service, input));
