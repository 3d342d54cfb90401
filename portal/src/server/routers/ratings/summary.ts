import { z } from "zod";
import { ratingSummary } from "../../../services/ratings-service.js";
import { id } from "../../../shared/schemas.js";
import { rolesProcedure } from "../../trpc.js";

export const summary = rolesProcedure("ops")
  .input(z.void())
  .output(
    z.object({
      perDepartment: z.array(z.object({ departmentId: id, departmentName: z.string(), average: z.number(), count: z.number() })),
      low: z.array(
        z.object({
          requestId: id,
          number: z.number(),
          systemName: z.string(),
          departmentName: z.string(),
          score: z.number(),
          comment: z.string(),
          createdAt: z.date(),
        }),
      ),
    }),
  )
  .query(({ ctx }) => ratingSummary(ctx.service));
