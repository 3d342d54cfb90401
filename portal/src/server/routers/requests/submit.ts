import { z } from "zod";
import { submitRequest } from "../../../services/requests/drafts.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { stateChange } from "../outputs.js";

export const submit = rolesProcedure("applicant")
  .input(z.object({ id }))
  .output(stateChange)
  .mutation(({ ctx, input }) => submitRequest(ctx.service, input.id));
