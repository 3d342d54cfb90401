import { z } from "zod";
import { getEvidence } from "../../../services/evidence-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { evidenceDetail } from "./schemas.js";

export const get = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ systemId: id, reportId: z.number().int().positive().optional() }))
  .output(evidenceDetail)
  .query(({ ctx, input }) => getEvidence(ctx.service, input));
