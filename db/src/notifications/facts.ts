import { and, desc, eq, gt, inArray, isNotNull, isNull, lt, lte, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../client.js";
import type { RequestState } from "../schema/enums.js";
import {
  allocationItems,
  allocations,
  departments,
  evidenceReports,
  exemptions,
  informationSystems,
  notificationCursors,
  notificationDeliveries,
  notifications,
  resourceRequests,
} from "../schema/index.js";
import { pendingStage } from "../workflow.js";
import { notify } from "./emit.js";
import { type ApprovalStageName, clip } from "./messages.js";

/** Days before a grant's expiry when its holders are told, largest first. */
export const GRANT_WARNINGS = [30, 7, 1] as const;
/** An exemption is announced as lapsing this many days ahead. */
export const EXEMPTION_WARNING_DAYS = 7;

/**
 * The warning a grant is due for `msLeft` before it ends: the smallest threshold it is within
 * (a grant 5 days from its end is due the 7-day warning), or null beyond 30 days or once ended.
 */
export function grantWarning(msLeft: number): (typeof GRANT_WARNINGS)[number] | null {
  if (msLeft <= 0) return null;
  const days = msLeft / 86_400_000;
  let due: (typeof GRANT_WARNINGS)[number] | null = null;
  for (const threshold of GRANT_WARNINGS) if (days <= threshold) due = threshold;
  return due;
}

/** The stage whose holders are asked to act on a request that has just reached `state`. */
function waitingStage(state: RequestState): ApprovalStageName | null {
  return pendingStage(state);
}

/** The stage whose approval moved a request from `from` (an approval by a person). */
function decidedStage(from: RequestState | null): ApprovalStageName | null {
  return from ? pendingStage(from) : null;
}

/**
 * Tells people what a request's move means for them, in the move's transaction: the holders of the
 * next stage that work waits for them, the requester of a decision at a stage, of the grant going
 * live or failing (ops hear of failures too).
 */
export async function notifyTransition(
  tx: DbOrTx,
  move: { requestId: string; from: RequestState | null; to: RequestState; actorId: string | null; note: string | null; at: Date },
): Promise<void> {
  const [r] = await tx
    .select({
      number: resourceRequests.number,
      kind: resourceRequests.kind,
      requesterId: resourceRequests.requesterId,
      departmentId: resourceRequests.departmentId,
      systemName: informationSystems.name,
      departmentName: departments.name,
    })
    .from(resourceRequests)
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .innerJoin(departments, eq(departments.id, resourceRequests.departmentId))
    .where(eq(resourceRequests.id, move.requestId));
  if (!r) return;
  const base = { requestNumber: r.number, systemName: r.systemName, departmentName: r.departmentName, kind: r.kind };
  const link = `/requests/${move.requestId}`;
  const key = `request:${move.requestId}:${move.to}:${move.at.getTime()}`;
  const common = { departmentId: r.departmentId, link, actorId: move.actorId, at: move.at };

  const waiting = waitingStage(move.to);
  if (waiting) {
    const role = waiting === "dept" ? "dept_admin" : waiting;
    await notify(tx, {
      ...common,
      event: "approval_waiting",
      params: { ...base, stage: waiting },
      dedupKey: `${key}:waiting`,
      recipients: { role: { role, ...(waiting === "dept" ? { departmentId: r.departmentId } : {}) } },
    });
  }
  const decided = move.actorId ? decidedStage(move.from) : null;
  if (decided && (move.to === "rejected" || waitingStage(move.to) || move.to === "provisioning")) {
    const rejected = move.to === "rejected";
    await notify(tx, {
      ...common,
      event: "request_decided",
      params: { ...base, stage: decided, outcome: rejected ? "rejected" : "approved", ...(rejected ? { reason: clip(move.note ?? "") } : {}) },
      dedupKey: `${key}:decided`,
      recipients: { users: [r.requesterId] },
    });
  }
  if (move.to === "active") await notify(tx, { ...common, event: "provisioning_done", params: base, dedupKey: key, recipients: { users: [r.requesterId] } });
  if (move.to === "failed")
    await notify(tx, {
      ...common,
      event: "provisioning_failed",
      params: { ...base, reason: clip(move.note ?? "") },
      dedupKey: key,
      recipients: { users: [r.requesterId], role: { role: "ops" } },
    });
}

/** A low score reaches ops (ratings-service decides what is low). */
export async function notifyLowRating(tx: DbOrTx, rating: { requestId: string; score: number; comment: string; actorId: string; at: Date }) {
  const [r] = await tx
    .select({
      number: resourceRequests.number,
      departmentId: resourceRequests.departmentId,
      systemName: informationSystems.name,
      departmentName: departments.name,
    })
    .from(resourceRequests)
    .innerJoin(informationSystems, eq(informationSystems.id, resourceRequests.systemId))
    .innerJoin(departments, eq(departments.id, resourceRequests.departmentId))
    .where(eq(resourceRequests.id, rating.requestId));
  if (!r) return;
  await notify(tx, {
    event: "low_rating",
    departmentId: r.departmentId,
    params: { requestNumber: r.number, systemName: r.systemName, departmentName: r.departmentName, score: rating.score, comment: clip(rating.comment) },
    link: "/ops/ratings",
    dedupKey: `rating:${rating.requestId}`,
    recipients: { role: { role: "ops" } },
    actorId: rating.actorId,
    webhooks: false,
    at: rating.at,
  });
}

const DRIFT_CURSOR = "evidence_reports";
/** Evidence rows are numbered when inserted, not when committed: look back this far again each pass. */
const DRIFT_LOOKBACK = 200;

/**
 * Facts the controller records or time brings, found by reading the database (run by the portal
 * on a timer): a new evidence report with controls not in force (security officers and the
 * system's department admins), exemptions about to lapse (security officers, department admins),
 * grants 30, 7 and 1 days from their end (the requester and department admins). Each fact's
 * dedup key makes a second pass a no-op.
 */
export async function scanFacts(db: Db, now = new Date()): Promise<{ drift: number; exemptions: number; grants: number }> {
  return { drift: await scanDrift(db, now), exemptions: await scanExemptions(db, now), grants: await scanGrants(db, now) };
}

async function scanDrift(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.insert(notificationCursors).values({ source: DRIFT_CURSOR, position: 0 }).onConflictDoNothing();
    const [cursor] = await tx.select().from(notificationCursors).where(eq(notificationCursors.source, DRIFT_CURSOR)).for("update");
    const from = Math.max(0, (cursor?.position ?? 0) - DRIFT_LOOKBACK);
    const rows = await tx
      .select({
        id: evidenceReports.id,
        systemId: evidenceReports.systemId,
        drifted: evidenceReports.drifted,
        systemName: informationSystems.name,
        departmentId: informationSystems.departmentId,
        departmentName: departments.name,
        previousDrifted: sql<
          number | null
        >`(select p.drifted from evidence_reports p where p.system_id = ${evidenceReports.systemId} and p.id < ${evidenceReports.id} order by p.id desc limit 1)`,
      })
      .from(evidenceReports)
      .innerJoin(informationSystems, eq(informationSystems.id, evidenceReports.systemId))
      .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
      .where(gt(evidenceReports.id, from))
      .orderBy(evidenceReports.id)
      .limit(1000);
    let told = 0;
    for (const row of rows) {
      // A report is a new fact when controls drift now that did not before (or more of them).
      if (row.drifted > 0 && (row.previousDrifted === null || row.drifted > row.previousDrifted)) {
        const fact = {
          event: "drift_detected" as const,
          departmentId: row.departmentId,
          params: { systemName: row.systemName, departmentName: row.departmentName, drifted: row.drifted },
          link: "/security/evidence",
          dedupKey: `drift:${row.id}`,
          at: now,
        };
        await notify(tx, { ...fact, recipients: { role: { role: "security" } } });
        await notify(tx, { ...fact, webhooks: false, recipients: { role: { role: "dept_admin", departmentId: row.departmentId } } });
        told++;
      }
    }
    const last = rows.at(-1)?.id;
    if (last !== undefined && last > (cursor?.position ?? 0))
      await tx.update(notificationCursors).set({ position: last, updatedAt: now }).where(eq(notificationCursors.source, DRIFT_CURSOR));
    return told;
  });
}

async function scanExemptions(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + EXEMPTION_WARNING_DAYS * 86_400_000);
  const rows = await db
    .select({
      id: exemptions.id,
      controlId: exemptions.controlId,
      expiresAt: exemptions.expiresAt,
      systemName: informationSystems.name,
      departmentId: informationSystems.departmentId,
      departmentName: departments.name,
    })
    .from(exemptions)
    .innerJoin(informationSystems, eq(informationSystems.id, exemptions.systemId))
    .innerJoin(departments, eq(departments.id, informationSystems.departmentId))
    .where(and(isNull(exemptions.revokedAt), gt(exemptions.expiresAt, now), lte(exemptions.expiresAt, horizon)));
  for (const row of rows) {
    const days = Math.max(1, Math.ceil((row.expiresAt.getTime() - now.getTime()) / 86_400_000));
    const fact = {
      event: "exemption_expiring" as const,
      departmentId: row.departmentId,
      params: { systemName: row.systemName, departmentName: row.departmentName, controlId: row.controlId, days },
      link: "/security/exemptions",
      dedupKey: `exemption:${row.id}:${row.expiresAt.getTime()}`,
      at: now,
    };
    await db.transaction(async (tx) => {
      await notify(tx, { ...fact, recipients: { role: { role: "security" } } });
      await notify(tx, { ...fact, link: "/security/evidence", webhooks: false, recipients: { role: { role: "dept_admin", departmentId: row.departmentId } } });
    });
  }
  return rows.length;
}

async function scanGrants(db: Db, now: Date): Promise<number> {
  const horizon = new Date(now.getTime() + GRANT_WARNINGS[0] * 86_400_000);
  const rows = await db
    .select({
      systemId: allocations.systemId,
      expiresAt: allocations.expiresAt,
      requestId: allocations.requestId,
      departmentId: allocations.departmentId,
      systemName: informationSystems.name,
      departmentName: departments.name,
      requesterId: resourceRequests.requesterId,
    })
    .from(allocations)
    .innerJoin(informationSystems, eq(informationSystems.id, allocations.systemId))
    .innerJoin(departments, eq(departments.id, allocations.departmentId))
    .leftJoin(resourceRequests, eq(resourceRequests.id, allocations.requestId))
    .where(
      and(
        isNotNull(allocations.expiresAt),
        gt(allocations.expiresAt, now),
        lt(allocations.expiresAt, horizon),
        inArray(allocations.systemId, db.selectDistinct({ id: allocationItems.systemId }).from(allocationItems).where(gt(allocationItems.granted, 0))),
      ),
    )
    .orderBy(desc(allocations.expiresAt));
  let told = 0;
  for (const row of rows) {
    const expiresAt = row.expiresAt as Date;
    const warning = grantWarning(expiresAt.getTime() - now.getTime());
    if (!warning) continue;
    await db.transaction((tx) =>
      notify(tx, {
        event: "grant_expiring",
        departmentId: row.departmentId,
        params: { systemName: row.systemName, departmentName: row.departmentName, days: warning },
        link: row.requestId ? `/requests/${row.requestId}` : "/",
        dedupKey: `grant:${row.systemId}:${expiresAt.getTime()}:${warning}`,
        recipients: { users: row.requesterId ? [row.requesterId] : [], role: { role: "dept_admin", departmentId: row.departmentId } },
        at: now,
      }),
    );
    told++;
  }
  return told;
}

/** Read notifications are kept this long, finished mail and webhook messages (with their attempts) this long. */
export const KEEP_READ_DAYS = 180;
export const KEEP_DELIVERED_DAYS = 90;

/** Drops read notifications and finished deliveries past their keeping time; unread ones stay. */
export async function purgeNotifications(db: Db, now = new Date()): Promise<{ notifications: number; deliveries: number }> {
  const readBefore = new Date(now.getTime() - KEEP_READ_DAYS * 86_400_000);
  const doneBefore = new Date(now.getTime() - KEEP_DELIVERED_DAYS * 86_400_000);
  const gone = await db
    .delete(notifications)
    .where(and(isNotNull(notifications.readAt), lt(notifications.readAt, readBefore)))
    .returning({ id: notifications.id });
  const done = await db
    .delete(notificationDeliveries)
    .where(and(inArray(notificationDeliveries.status, ["sent", "failed", "skipped"]), lt(notificationDeliveries.updatedAt, doneBefore)))
    .returning({ id: notificationDeliveries.id });
  return { notifications: gone.length, deliveries: done.length };
}
