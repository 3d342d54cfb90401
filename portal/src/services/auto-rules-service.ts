// Ops' auto-approval rules per department: listed, created, changed and removed, each audited.

import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, notFound } from "@zhengyun/db/errors";
import { autoApprovalRules, departments } from "@zhengyun/db/schema";
import { asc, eq } from "drizzle-orm";
import { audit } from "./audit-service.js";

export interface RuleInput {
  id?: string | undefined;
  departmentId: string;
  name: string;
  enabled: boolean;
  maxLevel: number;
  requireHeadroom: boolean;
  maxGrowthPct: number | null;
  minUsagePct: number | null;
  minUsageDays: number | null;
}

export async function listRules(ctx: ServiceContext, input: { departmentId?: string | undefined }) {
  return ctx.db
    .select({
      id: autoApprovalRules.id,
      departmentId: autoApprovalRules.departmentId,
      departmentName: departments.name,
      departmentNameEn: departments.nameEn,
      name: autoApprovalRules.name,
      enabled: autoApprovalRules.enabled,
      maxLevel: autoApprovalRules.maxLevel,
      requireHeadroom: autoApprovalRules.requireHeadroom,
      maxGrowthPct: autoApprovalRules.maxGrowthPct,
      minUsagePct: autoApprovalRules.minUsagePct,
      minUsageDays: autoApprovalRules.minUsageDays,
      updatedAt: autoApprovalRules.updatedAt,
    })
    .from(autoApprovalRules)
    .innerJoin(departments, eq(departments.id, autoApprovalRules.departmentId))
    .where(input.departmentId ? eq(autoApprovalRules.departmentId, input.departmentId) : undefined)
    .orderBy(asc(departments.code), asc(autoApprovalRules.createdAt));
}

export async function saveRule(ctx: ServiceContext, input: RuleInput) {
  if ((input.minUsagePct === null) !== (input.minUsageDays === null))
    throw new AppError("INVALID_INPUT", "用量条件须同时给出比例和天数 / the usage condition needs both a share and a number of days");
  const values = {
    departmentId: input.departmentId,
    name: input.name,
    enabled: input.enabled,
    maxLevel: input.maxLevel,
    requireHeadroom: input.requireHeadroom,
    maxGrowthPct: input.maxGrowthPct,
    minUsagePct: input.minUsagePct,
    minUsageDays: input.minUsageDays,
  };
  return ctx.db.transaction(async (tx) => {
    const [dept] = await tx.select({ id: departments.id }).from(departments).where(eq(departments.id, input.departmentId));
    if (!dept) throw notFound("department");
    if (input.id) {
      const [before] = await tx.select().from(autoApprovalRules).where(eq(autoApprovalRules.id, input.id)).for("update");
      if (!before) throw notFound("auto-approval rule");
      await tx
        .update(autoApprovalRules)
        .set({ ...values, updatedAt: ctx.now() })
        .where(eq(autoApprovalRules.id, input.id));
      await audit(tx, ctx, "auto_rule.updated", { type: "auto_approval_rule", id: input.id }, { before, after: values });
      return { id: input.id };
    }
    const [row] = await tx
      .insert(autoApprovalRules)
      .values({ ...values, createdBy: ctx.actor.id, createdAt: ctx.now(), updatedAt: ctx.now() })
      .returning({ id: autoApprovalRules.id });
    await audit(tx, ctx, "auto_rule.created", { type: "auto_approval_rule", id: row!.id }, { after: values });
    return { id: row!.id };
  });
}

export async function deleteRule(ctx: ServiceContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(autoApprovalRules).where(eq(autoApprovalRules.id, id)).for("update");
    if (!before) throw notFound("auto-approval rule");
    await tx.delete(autoApprovalRules).where(eq(autoApprovalRules.id, id));
    await audit(tx, ctx, "auto_rule.deleted", { type: "auto_approval_rule", id }, { before });
    return { id };
  });
}
