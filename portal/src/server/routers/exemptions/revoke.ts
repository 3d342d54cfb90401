import { z } from "zod";
import { revokeExemption } from "../../../services/exemptions-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const revoke = rolesProcedure("security")
  .input(z.object({ id }))
  .output(z.object({ id }))
  .mutation(({ ctx, input }) => revokeExemption(ctx.service, input.id));
