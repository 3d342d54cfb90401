import type { ServiceContext } from "@zhengyun/db/context";
import { notFound } from "@zhengyun/db/errors";
import { fromRows } from "@zhengyun/db/quantities";
import { departmentsHeadroom, systemGrant } from "@zhengyun/db/requests/load";
import {
  allocations,
  departments,
  informationSystems,
  networkSegments,
  ratings,
  requestEgressDestinations,
  requestItems,
  requestTransitions,
  resourceRequests,
  users,
} from "@zhengyun/db/schema";
import type { RequestState } from "@zhengyun/db/schema/enums";
import { type ApprovalStage, STAGE } from "@zhengyun/db/workflow";
import { and, asc, desc, eq, inArray, lt, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { actingAs, assertDepartment, departmentFilter } from "../scope.js";

const summaryColumns = {
  id: resourceRequests.id,
  number: resourceRequests.number,
  kind: resourceRequests.kind,
  state: resourceRequests.state,
  systemId: resourceRequests.systemId,
  systemName: informationSystems.name,
  level: informationSystems.level,
  zone: informationSystems.zone,
  graded: informationSystems.graded,
  departmentId: resourceRequests.departmentId,
  departmentName: departments.name,
  requesterName: users.displayName,
  justification: resourceRequests.justification,
  createdAt: resourceRequests.createdAt,
  updatedAt: resourceRequests.updatedAt,
  submittedAt: resourceRequests.submittedAt,
};

function summaries(ctx: ServiceContext, where: (SQL | undefined)[], limit: number) {
  return ctx.db
    .select(summaryColumns)
    .from(resourceRequests)
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .innerJoin(departments, eq(departments.id, resourceRequests.departmentId))
    .innerJoin(users, eq(users.id, resourceRequests.requesterId))
    .where(and(...where))
    .orderBy(desc(resourceRequests.number))
    .limit(limit);
}

export async function listRequests(
  ctx: ServiceContext,
  filter: { states?: RequestState[] | undefined; systemId?: string | undefined; mine?: boolean | undefined; beforeNumber?: number | undefined; limit: number },
) {
  const dept = departmentFilter(ctx);
  return summaries(
    ctx,
    [
      dept ? eq(resourceRequests.departmentId, dept) : undefined,
      filter.states?.length ? inArray(resourceRequests.state, filter.states) : undefined,
      filter.systemId ? eq(resourceRequests.systemId, filter.systemId) : undefined,
      filter.mine ? eq(resourceRequests.requesterId, ctx.actor.id) : undefined,
      filter.beforeNumber ? lt(resourceRequests.number, filter.beforeNumber) : undefined,
    ],
    filter.limit,
  );
}

/**
 * Requests waiting for the caller's approval stage, newest first, one keyset page (numbers below
 * `beforeNumber`), each with its department's headroom.
 */
export async function approvalQueue(caller: ServiceContext, stage: ApprovalStage, page: { beforeNumber?: number | undefined; limit: number } = { limit: 200 }) {
  const ctx = actingAs(caller, STAGE[stage].role);
  const rows = await summaries(
    ctx,
    [
      eq(resourceRequests.state, STAGE[stage].from),
      stage === "dept" ? eq(resourceRequests.departmentId, ctx.actor.departmentId) : undefined,
      page.beforeNumber ? lt(resourceRequests.number, page.beforeNumber) : undefined,
    ],
    page.limit,
  );
  const ids = rows.map((r) => r.id);
  const items = ids.length
    ? await ctx.db
        .select({ requestId: requestItems.requestId, resource: requestItems.resource, amount: requestItems.amount })
        .from(requestItems)
        .where(inArray(requestItems.requestId, ids))
    : [];
  const headroom = await departmentsHeadroom(ctx.db, [...new Set(rows.map((r) => r.departmentId))]);
  return rows.map((r) => ({
    ...r,
    target: fromRows(items.filter((i) => i.requestId === r.id)),
    department: headroom.get(r.departmentId) ?? { ceiling: {}, held: {} },
  }));
}

export async function getRequest(ctx: ServiceContext, id: string) {
  const [row] = await summaries(ctx, [eq(resourceRequests.id, id)], 1);
  if (!row) throw notFound("request");
  assertDepartment(ctx, row.departmentId);
  const [extra] = await ctx.db
    .select({
      segmentPrefix: resourceRequests.segmentPrefix,
      expiresAt: resourceRequests.expiresAt,
      rejectionReason: resourceRequests.rejectionReason,
      failureReason: resourceRequests.failureReason,
      completedAt: resourceRequests.completedAt,
      requesterId: resourceRequests.requesterId,
      opsApproverId: resourceRequests.opsApproverId,
      grantBefore: resourceRequests.grantBefore,
    })
    .from(resourceRequests)
    .where(eq(resourceRequests.id, id));
  const actor = alias(users, "actor");
  const [target, egress, transitions, segments, rating, allocation, current] = await Promise.all([
    ctx.db.select({ resource: requestItems.resource, amount: requestItems.amount }).from(requestItems).where(eq(requestItems.requestId, id)).then(fromRows),
    ctx.db
      .select({ host: requestEgressDestinations.host, port: requestEgressDestinations.port })
      .from(requestEgressDestinations)
      .where(eq(requestEgressDestinations.requestId, id)),
    ctx.db
      .select({
        from: requestTransitions.fromState,
        to: requestTransitions.toState,
        actorName: actor.displayName,
        actorRole: requestTransitions.actorRole,
        note: requestTransitions.note,
        at: requestTransitions.at,
      })
      .from(requestTransitions)
      .leftJoin(actor, eq(actor.id, requestTransitions.actorId))
      .where(eq(requestTransitions.requestId, id))
      .orderBy(asc(requestTransitions.id)),
    ctx.db
      .select({ cidr: networkSegments.cidr, zone: networkSegments.zone, releasedAt: networkSegments.releasedAt })
      .from(networkSegments)
      .where(eq(networkSegments.requestId, id)),
    ctx.db.select({ score: ratings.score, comment: ratings.comment, createdAt: ratings.createdAt }).from(ratings).where(eq(ratings.requestId, id)),
    ctx.db
      .select({
        phase: allocations.phase,
        conditions: allocations.conditions,
        outputs: allocations.outputs,
        generation: allocations.generation,
        observedGeneration: allocations.observedGeneration,
        requestId: allocations.requestId,
      })
      .from(allocations)
      .where(eq(allocations.systemId, row.systemId)),
    systemGrant(ctx.db, row.systemId),
  ]);
  return {
    ...row,
    ...extra!,
    target,
    currentGrant: current,
    egress,
    transitions,
    segments,
    rating: rating[0] ?? null,
    allocation: allocation[0]?.requestId === id ? allocation[0] : null,
  };
}
