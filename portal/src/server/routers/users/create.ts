import { z } from "zod";
import { createUser } from "../../../services/users-service.js";
import { id, role, username } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

/** The account gets a generated temporary password, shown once, changed at the first sign-in. */
export const create = rolesProcedure("sysadmin")
  .input(
    z
      .object({
        username,
        displayName: z.string().trim().min(1).max(100),
        departmentId: id,
        roles: z.array(role).max(6).default([]),
        /** Marks the account for SSO: the identity provider's username expected at its first SSO login. */
        ssoUsername: z.string().trim().min(1).max(128).nullable().default(null),
      })
      // A password for someone else is never chosen by the administrator: one given is refused.
      .strict(),
  )
  .output(z.object({ id, temporaryPassword: z.string() }))
  .mutation(({ ctx, input }) => createUser(ctx.service, input, ctx.policy.password));
