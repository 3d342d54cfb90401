import { z } from "zod";
import { grantExemption } from "../../../services/exemptions-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const grant = rolesProcedure("security")
  .input(
    z.object({
      systemId: id,
      controlId: z
        .string()
        .trim()
        .regex(/^[a-z0-9-]{2,63}$/, "a control id from the catalog"),
      reason: z.string().trim().min(4).max(2000),
      expiresAt: z.coerce.date(),
    }),
  )
  .output(z.object({ id }))
  .mutation(({ ctx, input }) => grantExemption(ctx.service, input));
