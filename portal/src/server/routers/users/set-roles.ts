import { z } from "zod";
import { setRoles as setRolesService } from "../../../services/users-service.js";
import { id, role } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const setRoles = rolesProcedure("sysadmin")
  .input(z.object({ id, roles: z.array(role).max(6) }))
  .output(z.object({ userId: id, roles: z.array(role) }))
  .mutation(({ ctx, input }) => setRolesService(ctx.service, input.id, input.roles));
