import { z } from "zod";
import { requestEvidenceRefresh } from "../../../services/evidence-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const refresh = rolesProcedure("security")
  .input(z.object({ systemId: id }))
  .output(z.object({ systemId: id, requestedAt: z.date() }))
  .mutation(({ ctx, input }) => requestEvidenceRefresh(ctx.service, input.systemId));
