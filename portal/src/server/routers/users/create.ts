import { z } from "zod";
import { createUser } from "../../../services/users-service.js";
import { id, password, role, username } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const create = rolesProcedure("sysadmin")
  .input(
    z.object({
      username,
      displayName: z.string().trim().min(1).max(100),
      departmentId: id,
      password: password.nullable().default(null),
      roles: z.array(role).max(6).default([]),
    }),
  )
  .output(z.object({ id }))
  .mutation(({ ctx, input }) => createUser(ctx.service, input));
