import { z } from "zod";
import { rateRequest } from "../../../services/ratings-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const rate = rolesProcedure("applicant")
  .input(z.object({ id, score: z.number().int().min(1, "1 to 5").max(5, "1 to 5"), comment: z.string().trim().max(2000).default("") }))
  .output(z.object({ requestId: id, score: z.number() }))
  .mutation(({ ctx, input }) => rateRequest(ctx.service, input.id, { score: input.score, comment: input.comment }));
