import { z } from "zod";
import { exportEgressLog } from "../../../services/egress-log-service.js";
import { rolesProcedure } from "../../trpc.js";
import { egressLogFilter } from "./schemas.js";

export const exportCsv = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(egressLogFilter.default({}))
  .output(z.object({ csv: z.string(), rows: z.number(), truncated: z.boolean() }))
  .query(({ ctx, input }) => exportEgressLog(ctx.service, input));
