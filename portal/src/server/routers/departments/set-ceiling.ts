import { z } from "zod";
import { setCeiling as setCeilingService } from "../../../services/departments-service.js";
import { id, quantities, quantityLimits } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const setCeiling = rolesProcedure("ops")
  .input(z.object({ id, ceiling: quantityLimits }))
  .output(z.object({ departmentId: id, ceiling: quantities }))
  .mutation(({ ctx, input }) => setCeilingService(ctx.service, input.id, input.ceiling));
