import { z } from "zod";
import { listUsers } from "../../../services/users-service.js";
import { page, pageInput } from "../../../shared/paging.js";
import { id, role } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const list = rolesProcedure("sysadmin")
  .input(z.object(pageInput).default({ limit: 50 }))
  .output(
    page(
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
  .query(({ ctx, input }) => listUsers(ctx.service, input));
