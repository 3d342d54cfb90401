import { z } from "zod";
import { setUserStatus } from "../../../services/users-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const setStatus = rolesProcedure("sysadmin")
  .input(z.object({ id, disabled: z.boolean().optional(), unlock: z.boolean().optional() }))
  .output(z.object({ userId: id, disabled: z.boolean().optional(), lockedUntil: z.null().optional(), failedLogins: z.number().optional() }))
  .mutation(({ ctx, input }) => setUserStatus(ctx.service, input.id, input));
