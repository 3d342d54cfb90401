import { z } from "zod";
import { registerSystem } from "../../../services/systems-service.js";
import { systemInput } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const register = rolesProcedure("applicant")
  .input(systemInput)
  .output(z.object({ id: z.uuid(), namespace: z.string() }))
  .mutation(({ ctx, input }) => registerSystem(ctx.service, input));
