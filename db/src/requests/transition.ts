import { eq } from "drizzle-orm";
import { appendAudit } from "../audit/append.js";
import type { DbOrTx } from "../client.js";
import type { ServiceContext } from "../context.js";
import { PLATFORM_ACTOR_NAME } from "../context.js";
import { notifyTransition } from "../notifications/facts.js";
import type { RequestState } from "../schema/enums.js";
import { requestTransitions, resourceRequests } from "../schema/index.js";

type RequestPatch = Partial<typeof resourceRequests.$inferInsert>;

/**
 * Who moves a request: a person through a service context, or the platform itself (optionally in
 * the name of one of its rules, e.g. an auto-approval rule: `actorName` and `decidedBy` say which).
 */
export type Mover = { ctx: ServiceContext } | { platform: { correlationId: string; now: Date; actorName?: string; decidedBy?: Record<string, unknown> } };

/**
 * Moves a request to `to` (with any other column changes), records the transition and the audit
 * entry. Callers have already checked that the move is allowed and hold the request's row lock.
 */
export async function moveRequest(
  tx: DbOrTx,
  mover: Mover,
  request: { id: string; state: RequestState; version: number },
  to: RequestState,
  note: string | null,
  patch: RequestPatch = {},
): Promise<void> {
  const now = "ctx" in mover ? mover.ctx.now() : mover.platform.now;
  await tx
    .update(resourceRequests)
    .set({ ...patch, state: to, version: request.version + 1, updatedAt: now })
    .where(eq(resourceRequests.id, request.id));
  const actorId = "ctx" in mover ? mover.ctx.actor.id : null;
  const actorRole = "ctx" in mover ? mover.ctx.role : null;
  await tx.insert(requestTransitions).values({ requestId: request.id, fromState: request.state, toState: to, actorId, actorRole, note, at: now });
  // Before the audit entry: appending takes the chain's lock, which is held until commit, so
  // nothing that may wait on another transaction's row locks (the notification rows' keys) comes after it.
  await notifyTransition(tx, { requestId: request.id, from: request.state, to, actorId, note, at: now });
  await appendAudit(tx, {
    actorId,
    actorName: "ctx" in mover ? mover.ctx.actor.username : (mover.platform.actorName ?? PLATFORM_ACTOR_NAME),
    actorRole,
    action: `request.${to}`,
    targetType: "request",
    targetId: request.id,
    before: { state: request.state },
    after: { state: to, note, ...patch, ...("platform" in mover && mover.platform.decidedBy ? { decidedBy: mover.platform.decidedBy } : {}) },
    correlationId: "ctx" in mover ? mover.ctx.correlationId : mover.platform.correlationId,
    at: now,
  });
}
