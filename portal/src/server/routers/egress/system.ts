import { z } from "zod";
import { systemEgress } from "../../../services/egress-log-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const system = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ id }))
  .output(
    z.object({
      blocked: z.enum(["internal", "level4", "no-bandwidth"]).nullable(),
      bandwidthMbps: z.number(),
      gatewayPort: z.number().nullable(),
      allowList: z.array(z.object({ host: z.string(), port: z.number() })),
    }),
  )
  .query(({ ctx, input }) => systemEgress(ctx.service, input.id));
