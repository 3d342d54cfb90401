import { z } from "zod";
import { listEgressLog } from "../../../services/egress-log-service.js";
import { rolesProcedure } from "../../trpc.js";
import { egressLogFilter, egressLogRow } from "./schemas.js";

export const list = rolesProcedure("applicant", "dept_admin", "ops", "security", "auditor")
  .input(
    egressLogFilter
      .extend({ page: z.number().int().min(1).max(100_000).default(1), pageSize: z.number().int().min(1).max(200).default(50) })
      .default({ page: 1, pageSize: 50 }),
  )
  .output(z.object({ rows: z.array(egressLogRow), total: z.number() }))
  .query(({ ctx, input }) => listEgressLog(ctx.service, input));
