import { z } from "zod";
import { departmentOverview } from "../../../services/departments-service.js";
import { id, quantities } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const overview = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ id }))
  .output(z.object({ id, code: z.string(), name: z.string(), nameEn: z.string(), ceiling: quantities, held: quantities, used: quantities }))
  .query(({ ctx, input }) => departmentOverview(ctx.service, input.id));
