import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, forbidden, notFound } from "@zhengyun/db/errors";
import { notifyLowRating } from "@zhengyun/db/notifications/facts";
import { departments, informationSystems, ratings, resourceRequests } from "@zhengyun/db/schema";
import { and, asc, desc, eq, lte, sql } from "drizzle-orm";
import { audit } from "./audit-service.js";

/** Scores at or below this surface to ops as low ratings. */
export const LOW_SCORE = 2;

export async function rateRequest(ctx: ServiceContext, requestId: string, input: { score: number; comment: string }) {
  return ctx.db.transaction(async (tx) => {
    const [req] = await tx
      .select({ state: resourceRequests.state, requesterId: resourceRequests.requesterId, departmentId: resourceRequests.departmentId })
      .from(resourceRequests)
      .where(eq(resourceRequests.id, requestId))
      .for("update");
    if (!req) throw notFound("request");
    if (req.requesterId !== ctx.actor.id) throw forbidden("only the requester rates a request");
    if (!["active", "failed", "rejected"].includes(req.state)) throw new AppError("INVALID_STATE", "a request can be rated once it is completed");
    const [row] = await tx
      .insert(ratings)
      .values({ requestId, userId: ctx.actor.id, departmentId: req.departmentId, score: input.score, comment: input.comment, createdAt: ctx.now() })
      .onConflictDoNothing()
      .returning({ requestId: ratings.requestId });
    if (!row) throw new AppError("CONFLICT", "this request has already been rated");
    if (input.score <= LOW_SCORE) await notifyLowRating(tx, { requestId, ...input, actorId: ctx.actor.id, at: ctx.now() });
    await audit(tx, ctx, "request.rate", { type: "request", id: requestId }, { after: input });
    return { requestId, score: input.score };
  });
}

/** Average score and count per department, and the low ratings with their comments. */
export async function ratingSummary(ctx: ServiceContext) {
  const perDepartment = await ctx.db
    .select({
      departmentId: departments.id,
      departmentName: departments.name,
      average: sql<number>`round(avg(${ratings.score})::numeric, 2)`.mapWith(Number),
      count: sql<number>`count(*)::int`,
    })
    .from(ratings)
    .innerJoin(departments, eq(departments.id, ratings.departmentId))
    .groupBy(departments.id, departments.name)
    .orderBy(asc(sql`avg(${ratings.score})`));
  const low = await ctx.db
    .select({
      requestId: ratings.requestId,
      number: resourceRequests.number,
      systemName: informationSystems.name,
      departmentName: departments.name,
      score: ratings.score,
      comment: ratings.comment,
      createdAt: ratings.createdAt,
    })
    .from(ratings)
    .innerJoin(resourceRequests, eq(resourceRequests.id, ratings.requestId))
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .innerJoin(departments, eq(departments.id, ratings.departmentId))
    .where(and(lte(ratings.score, LOW_SCORE)))
    .orderBy(desc(ratings.createdAt))
    .limit(100);
  return { perDepartment, low };
}
