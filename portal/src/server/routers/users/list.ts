import { z } from "zod";
import { listUsers } from "../../../services/users-service.js";
import { id, role } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const list = rolesProcedure("sysadmin")
  .input(z.void())
  .output(
    z.array(
      z.object({
        id,
        username: z.string(),
        displayName: z.string(),
        departmentId: id,
        departmentName: z.string(),
        disabled: z.boolean(),
        lockedUntil: z.date().nullable(),
        sso: z.boolean(),
        ssoUsername: z.string().nullable(),
        mfa: z.boolean(),
        mustChangePassword: z.boolean(),
        roles: z.array(role),
      }),
    ),
  )
  .query(({ ctx }) => listUsers(ctx.service));
