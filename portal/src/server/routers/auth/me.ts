import { z } from "zod";
import { id, role } from "../../../shared/schemas.js";
import { signedInProcedure } from "../../trpc.js";

export const output = z.object({ id, username: z.string(), displayName: z.string(), departmentId: id, roles: z.array(role) });

export const me = signedInProcedure
  .input(z.void())
  .output(output)
  .query(({ ctx }) => ctx.service.actor);
