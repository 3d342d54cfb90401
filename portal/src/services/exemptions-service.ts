import type { DbOrTx } from "@zhengyun/db/client";
import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, notFound } from "@zhengyun/db/errors";
import { allocations, exemptions, informationSystems, users } from "@zhengyun/db/schema";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { audit } from "./audit-service.js";
import { afterKey, decodeKeys, toPage } from "./paging.js";
import { exemptionRefusal } from "./policies-service.js";
import { assertDepartment, departmentFilter } from "./scope.js";

/** Re-applies the system so the cluster's exclusions match the exemptions in force. */
async function touchAllocation(tx: DbOrTx, systemId: string) {
  await tx
    .update(allocations)
    .set({ generation: sql`${allocations.generation} + 1` })
    .where(eq(allocations.systemId, systemId));
}

export async function grantExemption(ctx: ServiceContext, input: { systemId: string; controlId: string; reason: string; expiresAt: Date }) {
  if (input.expiresAt <= ctx.now()) throw new AppError("INVALID_INPUT", "expiresAt: must be in the future", { field: "expiresAt" });
  return ctx.db.transaction(async (tx) => {
    const [system] = await tx
      .select({ id: informationSystems.id, level: informationSystems.level })
      .from(informationSystems)
      .where(eq(informationSystems.id, input.systemId))
      .for("update");
    if (!system) throw notFound("information system");
    const refusal = exemptionRefusal(input.controlId, system.level);
    if (refusal) throw new AppError("INVALID_INPUT", `controlId: ${refusal}`, { field: "controlId" });
    const [row] = await tx
      .insert(exemptions)
      .values({ ...input, grantedBy: ctx.actor.id, grantedAt: ctx.now() })
      .returning({ id: exemptions.id });
    await touchAllocation(tx, input.systemId);
    await audit(tx, ctx, "exemption.grant", { type: "system", id: input.systemId }, { after: input });
    return row!;
  });
}

export async function revokeExemption(ctx: ServiceContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(exemptions)
      .set({ revokedAt: ctx.now() })
      .where(and(eq(exemptions.id, id), isNull(exemptions.revokedAt)))
      .returning({ systemId: exemptions.systemId, controlId: exemptions.controlId });
    if (!row) throw notFound("active exemption");
    await touchAllocation(tx, row.systemId);
    await audit(tx, ctx, "exemption.revoke", { type: "system", id: row.systemId }, { after: { exemptionId: id, controlId: row.controlId } });
    return { id };
  });
}

/** Exemptions scoped like the systems they belong to: department staff see their department's only. */
/** One page of exemptions in scope, newest grant first. */
export async function listExemptions(
  ctx: ServiceContext,
  filter: { systemId?: string | undefined; activeOnly: boolean; cursor?: string | undefined; limit: number },
) {
  const dept = departmentFilter(ctx);
  if (filter.systemId) {
    const [s] = await ctx.db
      .select({ departmentId: informationSystems.departmentId })
      .from(informationSystems)
      .where(eq(informationSystems.id, filter.systemId));
    if (!s) throw notFound("information system");
    assertDepartment(ctx, s.departmentId);
  }
  // The grant time's full (microsecond) text: a JavaScript Date would round it to milliseconds.
  const grantedKey = sql<string>`${exemptions.grantedAt}::text`;
  const found = await ctx.db
    .select({
      grantedKey,
      id: exemptions.id,
      systemId: exemptions.systemId,
      systemName: informationSystems.name,
      controlId: exemptions.controlId,
      reason: exemptions.reason,
      grantedBy: users.displayName,
      grantedAt: exemptions.grantedAt,
      expiresAt: exemptions.expiresAt,
      revokedAt: exemptions.revokedAt,
    })
    .from(exemptions)
    .innerJoin(informationSystems, eq(informationSystems.id, exemptions.systemId))
    .innerJoin(users, eq(users.id, exemptions.grantedBy))
    .where(
      and(
        dept ? eq(informationSystems.departmentId, dept) : undefined,
        filter.systemId ? eq(exemptions.systemId, filter.systemId) : undefined,
        filter.activeOnly ? and(isNull(exemptions.revokedAt), gt(exemptions.expiresAt, ctx.now())) : undefined,
        afterKey([exemptions.grantedAt, exemptions.id], decodeKeys(filter.cursor, ["string", "uuid"]), "desc"),
      ),
    )
    .orderBy(desc(exemptions.grantedAt), desc(exemptions.id))
    .limit(filter.limit + 1);
  const { items, nextCursor } = toPage(found, filter.limit, (r) => [r.grantedKey, r.id]);
  return { nextCursor, items: items.map(({ grantedKey: _, ...r }) => r) };
}
