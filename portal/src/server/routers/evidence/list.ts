import { z } from "zod";
import { listEvidence } from "../../../services/evidence-service.js";
import { cursor, page } from "../../../shared/paging.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { evidenceListRow } from "./schemas.js";

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(
    z
      .object({ departmentId: id.optional(), includeReleased: z.boolean().default(false), cursor, limit: z.number().int().min(1).max(1000).default(200) })
      .default({ includeReleased: false, limit: 200 }),
  )
  .output(page(evidenceListRow))
  .query(({ ctx, input }) => listEvidence(ctx.service, input));
