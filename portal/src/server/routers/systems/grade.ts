import { z } from "zod";
import { gradeSystem } from "../../../services/systems-service.js";
import { id, level } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const input = z.object({
  id,
  level,
  filingNumber: z.string().trim().min(4, "the 等保备案 filing number").max(64),
});

export const grade = rolesProcedure("security")
  .input(input)
  .output(z.object({ id, level, graded: z.boolean() }))
  .mutation(({ ctx, input: { id: systemId, ...rest } }) => gradeSystem(ctx.service, systemId, rest));
