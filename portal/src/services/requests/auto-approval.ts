// The ops stage taken by a department's auto-approval rule, right after the department approved:
// the rule's decision is audited in the rule's name (its id), and a request no rule approves is
// left for a person with the rules' reasons in the audit trail.

import { appendAudit } from "@zhengyun/db/audit/append";
import type { DbOrTx } from "@zhengyun/db/client";
import { AppError } from "@zhengyun/db/errors";
import { delta } from "@zhengyun/db/quantities";
import { departmentCeiling, departmentHeld, lockRequest, requestTarget, systemGrant } from "@zhengyun/db/requests/load";
import { moveRequest } from "@zhengyun/db/requests/transition";
import { autoApprovalRules, usagePoints } from "@zhengyun/db/schema";
import { DAY_MS } from "@zhengyun/db/usage/series";
import { and, asc, eq, gte } from "drizzle-orm";
import { type AutoRule, decide, type RuleVerdict } from "../../domain/auto-approval.js";
import { type SeriesPoint, usageShares } from "../../domain/usage-report.js";
import { opsStage } from "./approvals.js";

export const AUTO_ACTOR_PREFIX = "auto-rule:";

export type AutoOutcome =
  | { approved: true; ruleId: string; ruleName: string; state: "provisioning" | "ops_approved"; segment: string | null }
  | { approved: false; verdicts: RuleVerdict[] };

async function systemPoints(tx: DbOrTx, systemId: string, from: number): Promise<SeriesPoint[]> {
  const rows = await tx
    .select()
    .from(usagePoints)
    .where(and(eq(usagePoints.systemId, systemId), gte(usagePoints.bucket, new Date(from))));
  return rows.map((r) => ({ ...r, bucket: r.bucket.getTime() }));
}

/**
 * Runs the department's enabled rules against a request just approved by its department (the row
 * is locked by the caller's transaction). Null when the department has no enabled rule.
 */
export async function tryAutoApproval(tx: DbOrTx, requestId: string, correlationId: string, now: Date): Promise<AutoOutcome | null> {
  const locked = await lockRequest(tx, requestId);
  const { request, system } = locked;
  if (request.state !== "dept_approved") return null;
  const rules: AutoRule[] = await tx
    .select()
    .from(autoApprovalRules)
    .where(and(eq(autoApprovalRules.departmentId, request.departmentId), eq(autoApprovalRules.enabled, true)))
    .orderBy(asc(autoApprovalRules.createdAt), asc(autoApprovalRules.id));
  if (rules.length === 0) return null;
  const current = await systemGrant(tx, system.id);
  const growth = delta(await requestTarget(tx, requestId), current);
  const maxDays = Math.max(0, ...rules.map((r) => r.minUsageDays ?? 0));
  const points = maxDays > 0 ? await systemPoints(tx, system.id, now.getTime() - (maxDays + 1) * DAY_MS) : [];
  const { approvedBy, verdicts } = decide(rules, {
    kind: request.kind,
    level: system.level,
    graded: system.graded,
    current,
    growth,
    ceiling: await departmentCeiling(tx, request.departmentId),
    held: await departmentHeld(tx, request.departmentId),
    usage: (days) => usageShares(points, now.getTime(), days),
  });
  const declined = async (reasons: RuleVerdict[]) => {
    await appendAudit(tx, {
      actorId: null,
      actorName: "auto-approval",
      actorRole: null,
      action: "request.auto_approval_declined",
      targetType: "request",
      targetId: requestId,
      after: { verdicts: reasons, leftFor: "ops" },
      correlationId,
      at: now,
    });
    return { approved: false as const, verdicts: reasons };
  };
  if (!approvedBy) return declined(verdicts);
  try {
    // A savepoint: when the cluster's capacity or the address pool refuses, nothing of the attempt stays.
    return await tx.transaction(async (sp) => {
      const { next, segment, patch } = await opsStage(sp, locked, now);
      const mover = {
        platform: { correlationId, now, actorName: `${AUTO_ACTOR_PREFIX}${approvedBy.id}`, decidedBy: { ruleId: approvedBy.id, ruleName: approvedBy.name } },
      };
      await moveRequest(sp, mover, request, next, `自动审批规则「${approvedBy.name}」/ auto-approval rule ${approvedBy.id}`, patch);
      return { approved: true as const, ruleId: approvedBy.id, ruleName: approvedBy.name, state: next as "provisioning" | "ops_approved", segment };
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return declined(verdicts.map((v) => (v.ruleId === approvedBy.id ? { ruleId: v.ruleId, approve: false as const, reasons: [err.message] } : v)));
  }
}
