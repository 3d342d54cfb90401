import { z } from "zod";
import { listExemptions } from "../../../services/exemptions-service.js";
import { page, pageInput } from "../../../shared/paging.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ systemId: id.optional(), activeOnly: z.boolean().default(true), ...pageInput }).default({ activeOnly: true, limit: 50 }))
  .output(
    page(
      z.object({
        id,
        systemId: id,
        systemName: z.string(),
        controlId: z.string(),
        reason: z.string(),
        grantedBy: z.string(),
        grantedAt: z.date(),
        expiresAt: z.date(),
        revokedAt: z.date().nullable(),
      }),
    ),
  )
  .query(({ ctx, input }) => listExemptions(ctx.service, input));
