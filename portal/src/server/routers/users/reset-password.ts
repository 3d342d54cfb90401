import { z } from "zod";
import { resetPassword as resetPasswordService } from "../../../services/users-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

/** A new temporary password for another account, shown once; its sessions end. */
export const resetPassword = rolesProcedure("sysadmin")
  .input(z.object({ id }))
  .output(z.object({ userId: id, temporaryPassword: z.string() }))
  .mutation(({ ctx, input }) => resetPasswordService(ctx.service, input.id, ctx.policy.password));
