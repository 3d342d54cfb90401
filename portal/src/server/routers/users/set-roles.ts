import { z } from "zod";
import { id, role } from "../../../shared/schemas.js";
import { setRoles as setRolesService } from "../../../services/users-service.js";
import { rolesProcedure } from "../../trpc.js";

export const setRoles = rolesProcedure("sysadmin")
  .input(z.object({ id, roles: z.array(role).max(6) }))
  .output(z.object({ userId: id, roles: z.array(role) }))
  .mutation(({ ctx, input }) => setRolesService(ctx.service, input.id, input.roles));
