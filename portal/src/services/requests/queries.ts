import type { Db } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { notFound } from "@zhengyun/db/errors";
import { preparedFor } from "@zhengyun/db/prepared";
import { fromRows } from "@zhengyun/db/quantities";
import { departmentsHeadroom } from "@zhengyun/db/requests/load";
import { type Condition, departments, informationSystems, resourceRequests, users } from "@zhengyun/db/schema";
import type { RequestState, Resource, Role, Zone } from "@zhengyun/db/schema/enums";
import { type ApprovalStage, STAGE } from "@zhengyun/db/workflow";
import { and, desc, eq, lt, type SQL, sql } from "drizzle-orm";
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

function summaries(db: Db, where: (SQL | undefined)[]) {
  return db
    .select(summaryColumns)
    .from(resourceRequests)
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .innerJoin(departments, eq(departments.id, resourceRequests.departmentId))
    .innerJoin(users, eq(users.id, resourceRequests.requesterId))
    .where(and(...where))
    .orderBy(desc(resourceRequests.number))
    .limit(sql.placeholder("limit"));
}

const LIST_FILTERS = ["dept", "states", "system", "mine", "before"] as const;
type ListFilter = (typeof LIST_FILTERS)[number];

const listStatement = preparedFor((db: Db, key) => {
  const has = (f: ListFilter) => key.includes(f);
  return summaries(db, [
    has("dept") ? eq(resourceRequests.departmentId, sql.placeholder("dept")) : undefined,
    has("states") ? sql`${resourceRequests.state} = any(${sql.placeholder("states")})` : undefined,
    has("system") ? eq(resourceRequests.systemId, sql.placeholder("system")) : undefined,
    has("mine") ? eq(resourceRequests.requesterId, sql.placeholder("mine")) : undefined,
    has("before") ? lt(resourceRequests.number, sql.placeholder("before")) : undefined,
  ]).prepare(
    // The department with the requester or the system: they correlate, and a generic plan (built
    // without the values) takes them for independent and misjudges the rows (nested loops and a
    // sort instead of the keyset index); such a statement is planned with its values each time.
    has("dept") && (has("mine") || has("system")) ? "" : `zy_requests_list_${key || "all"}`,
  );
});

export async function listRequests(
  ctx: ServiceContext,
  filter: { states?: RequestState[] | undefined; systemId?: string | undefined; mine?: boolean | undefined; beforeNumber?: number | undefined; limit: number },
) {
  const values: Record<ListFilter, unknown> = {
    dept: departmentFilter(ctx) ?? undefined,
    states: filter.states?.length ? filter.states : undefined,
    system: filter.systemId || undefined,
    mine: filter.mine ? ctx.actor.id : undefined,
    before: filter.beforeNumber || undefined,
  };
  const key = LIST_FILTERS.filter((f) => values[f] !== undefined).join("_");
  return listStatement(ctx.db, key).execute({ ...values, limit: filter.limit });
}

/** A request's items as JSON rows, read in the statement that selects the request. */
const itemsJson = sql<
  { resource: Resource; amount: number }[]
>`(select coalesce(json_agg(json_build_object('resource', i.resource, 'amount', i.amount)), '[]') from request_items i where i.request_id = ${resourceRequests.id})`;

/**
 * Requests waiting for the caller's approval stage, newest first, one keyset page (numbers below
 * `beforeNumber`), each with its items and its department's headroom: two statements a page.
 */
const queueStatement = preparedFor((db: Db, key) => {
  const [stage, page] = key.split("_") as [ApprovalStage, "first" | "next"];
  return db
    .select({ ...summaryColumns, items: itemsJson })
    .from(resourceRequests)
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .innerJoin(departments, eq(departments.id, resourceRequests.departmentId))
    .innerJoin(users, eq(users.id, resourceRequests.requesterId))
    .where(
      and(
        eq(resourceRequests.state, STAGE[stage].from),
        stage === "dept" ? eq(resourceRequests.departmentId, sql.placeholder("dept")) : undefined,
        page === "next" ? lt(resourceRequests.number, sql.placeholder("before")) : undefined,
      ),
    )
    .orderBy(desc(resourceRequests.number))
    .limit(sql.placeholder("limit"))
    .prepare(`zy_approval_queue_${key}`);
});

export async function approvalQueue(caller: ServiceContext, stage: ApprovalStage, page: { beforeNumber?: number | undefined; limit: number } = { limit: 100 }) {
  const ctx = actingAs(caller, STAGE[stage].role);
  const rows = await queueStatement(ctx.db, `${stage}_${page.beforeNumber ? "next" : "first"}`).execute({
    dept: ctx.actor.departmentId,
    before: page.beforeNumber,
    limit: page.limit,
  });
  const headroom = await departmentsHeadroom(ctx.db, [...new Set(rows.map((r) => r.departmentId))]);
  return rows.map(({ items, ...r }) => ({
    ...r,
    target: fromRows(items),
    department: headroom.get(r.departmentId) ?? { ceiling: {}, held: {} },
  }));
}

/** A JSON timestamp from PostgreSQL as a Date (null stays null). */
const toDate = (v: string | null) => (v === null ? null : new Date(v));

interface RequestDetailJson {
  target: { resource: Resource; amount: number }[];
  currentGrant: { resource: Resource; amount: number }[];
  egress: { host: string; port: number }[];
  transitions: { from: RequestState | null; to: RequestState; actorName: string | null; actorRole: Role | null; note: string | null; at: string }[];
  segments: { cidr: string; zone: Zone; releasedAt: string | null }[];
  rating: { score: number; comment: string; createdAt: string } | null;
  allocation: {
    phase: string;
    conditions: Condition[];
    outputs: Record<string, unknown>;
    generation: number;
    observedGeneration: number;
    requestId: string | null;
  } | null;
}

/**
 * One request with everything its page shows, read in one statement: the summary joins, and its
 * items, egress, transitions, segments, rating, allocation and the system's grant as JSON
 * sub-selects (one round trip instead of one per part).
 */
export async function getRequest(ctx: ServiceContext, id: string) {
  const r = resourceRequests;
  const json = sql<RequestDetailJson>`json_build_object(
    'target', (select coalesce(json_agg(json_build_object('resource', i.resource, 'amount', i.amount)), '[]') from request_items i where i.request_id = ${r.id}),
    'currentGrant', (select coalesce(json_agg(json_build_object('resource', g.resource, 'amount', g.granted)), '[]') from allocation_items g where g.system_id = ${r.systemId}),
    'egress', (select coalesce(json_agg(json_build_object('host', e.host, 'port', e.port)), '[]') from request_egress_destinations e where e.request_id = ${r.id}),
    'transitions', (select coalesce(json_agg(json_build_object('from', t.from_state, 'to', t.to_state, 'actorName', a.display_name, 'actorRole', t.actor_role, 'note', t.note, 'at', t.at) order by t.id), '[]')
      from request_transitions t left join users a on a.id = t.actor_id where t.request_id = ${r.id}),
    'segments', (select coalesce(json_agg(json_build_object('cidr', s.cidr, 'zone', s.zone, 'releasedAt', s.released_at)), '[]') from network_segments s where s.request_id = ${r.id}),
    'rating', (select json_build_object('score', q.score, 'comment', q.comment, 'createdAt', q.created_at) from ratings q where q.request_id = ${r.id}),
    'allocation', (select json_build_object('phase', l.phase, 'conditions', l.conditions, 'outputs', l.outputs, 'generation', l.generation,
      'observedGeneration', l.observed_generation, 'requestId', l.request_id) from allocations l where l.system_id = ${r.systemId} and l.request_id = ${r.id})
  )`;
  const [row] = await ctx.db
    .select({
      ...summaryColumns,
      segmentPrefix: r.segmentPrefix,
      expiresAt: r.expiresAt,
      rejectionReason: r.rejectionReason,
      failureReason: r.failureReason,
      completedAt: r.completedAt,
      requesterId: r.requesterId,
      opsApproverId: r.opsApproverId,
      grantBefore: r.grantBefore,
      detail: json,
    })
    .from(r)
    .innerJoin(informationSystems, eq(informationSystems.id, r.systemId))
    .innerJoin(departments, eq(departments.id, r.departmentId))
    .innerJoin(users, eq(users.id, r.requesterId))
    .where(eq(r.id, id));
  if (!row) throw notFound("request");
  assertDepartment(ctx, row.departmentId);
  const { detail, ...rest } = row;
  return {
    ...rest,
    target: fromRows(detail.target),
    currentGrant: fromRows(detail.currentGrant),
    egress: detail.egress,
    transitions: detail.transitions.map((t) => ({ ...t, at: new Date(t.at) })),
    segments: detail.segments.map((s) => ({ ...s, releasedAt: toDate(s.releasedAt) })),
    rating: detail.rating && { ...detail.rating, createdAt: new Date(detail.rating.createdAt) },
    allocation: detail.allocation,
  };
}
