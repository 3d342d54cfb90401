import { z } from "zod";
import { listSystems } from "../../../services/systems-service.js";
import { rolesProcedure } from "../../trpc.js";
import { systemRow } from "./schemas.js";

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ ungraded: z.boolean().optional(), limit: z.number().int().min(1).max(1000).default(500) }).default({ limit: 500 }))
  .output(z.array(systemRow))
  .query(({ ctx, input }) => listSystems(ctx.service, input));
