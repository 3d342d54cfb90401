import { z } from "zod";
import { getSystem } from "../../../services/systems-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";
import { systemDetail } from "./schemas.js";

export const get = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(z.object({ id }))
  .output(systemDetail)
  .query(({ ctx, input }) => getSystem(ctx.service, input.id));
