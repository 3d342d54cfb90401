import { z } from "zod";
import { setSso as setSsoService } from "../../../services/users-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

/** Marks an account for SSO (the IdP username expected at its first SSO login), or unmarks and unlinks it. */
export const setSso = rolesProcedure("sysadmin")
  .input(z.object({ id, ssoUsername: z.string().trim().min(1).max(128).nullable() }))
  .output(z.object({ userId: id, ssoUsername: z.string().nullable() }))
  .mutation(({ ctx, input }) => setSsoService(ctx.service, input.id, input.ssoUsername));
