import { z } from "zod";
import { updateSystem } from "../../../services/systems-service.js";
import { id, systemInput } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const input = z
  .object({
    id,
    name: systemInput.shape.name.optional(),
    purpose: systemInput.shape.purpose.optional(),
  })
  .strict();

export const update = rolesProcedure("applicant", "dept_admin")
  .input(input)
  .output(z.object({ id }))
  .mutation(({ ctx, input: { id: systemId, ...patch } }) => updateSystem(ctx.service, systemId, patch));
