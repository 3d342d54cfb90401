import { z } from "zod";
import { listEvidence } from "../../../services/evidence-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { evidenceListRow } from "./schemas.js";

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(
    z
      .object({ departmentId: id.optional(), includeReleased: z.boolean().default(false), limit: z.number().int().min(1).max(2000).default(1000) })
      .default({ includeReleased: false, limit: 1000 }),
  )
  .output(z.array(evidenceListRow))
  .query(({ ctx, input }) => listEvidence(ctx.service, input));
