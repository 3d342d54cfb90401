import { z } from "zod";
import { resetSecondFactor } from "../../../services/users-service.js";
import { id, username } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

/** Only the security officer resets another person's second factor (lost phone); audited. */
export const resetMfa = rolesProcedure("security")
  .input(z.object({ username }))
  .output(z.object({ userId: id }))
  .mutation(({ ctx, input }) => resetSecondFactor(ctx.service, input.username));
