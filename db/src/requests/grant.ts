import { and, asc, eq, isNull, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../client.js";
import { amount, type Quantities } from "../quantities.js";
import { RESOURCES } from "../schema/enums.js";
import { allocationItems, allocations, type GrantSnapshot, networkSegments, resourceRequests } from "../schema/index.js";
import { systemGrant } from "./load.js";

/**
 * What the system holds before `requestId`'s grant replaces it: its granted amounts and its live
 * segments, leaving out any segment carved for that request itself (that one comes with the grant).
 */
async function grantBefore(tx: DbOrTx, systemId: string, requestId: string): Promise<GrantSnapshot> {
  const segments = await tx
    .select({ cidr: networkSegments.cidr })
    .from(networkSegments)
    .where(and(eq(networkSegments.systemId, systemId), isNull(networkSegments.releasedAt), ne(networkSegments.requestId, requestId)))
    .orderBy(asc(networkSegments.cidr));
  return { resources: await systemGrant(tx, systemId), segments: segments.map((s) => s.cidr) };
}

/**
 * Writes a fully approved target into the system's allocation and bumps its generation, which
 * wakes the controller (NOTIFY trigger). The grant it replaces is kept on the request, since
 * nothing else remembers it once later requests change the allocation again.
 */
export async function applyGrant(
  tx: DbOrTx,
  args: { systemId: string; departmentId: string; requestId: string; target: Quantities; expiresAt: Date | null; now: Date },
): Promise<void> {
  const before = await grantBefore(tx, args.systemId, args.requestId);
  await tx.update(resourceRequests).set({ grantBefore: before }).where(eq(resourceRequests.id, args.requestId));
  await tx
    .insert(allocations)
    .values({
      systemId: args.systemId,
      departmentId: args.departmentId,
      requestId: args.requestId,
      generation: 1,
      phase: "pending",
      expiresAt: args.expiresAt,
      updatedAt: args.now,
    })
    .onConflictDoUpdate({
      target: allocations.systemId,
      set: { requestId: args.requestId, generation: sql`${allocations.generation} + 1`, phase: "pending", expiresAt: args.expiresAt, updatedAt: args.now },
    });
  for (const resource of RESOURCES) {
    const granted = amount(args.target, resource);
    await tx
      .insert(allocationItems)
      .values({ systemId: args.systemId, resource, granted })
      .onConflictDoUpdate({ target: [allocationItems.systemId, allocationItems.resource], set: { granted } });
  }
}

/** Frees the segments a request took, for a request that ends without its grant being applied. */
export async function releaseRequestSegments(tx: DbOrTx, requestId: string, now: Date): Promise<void> {
  await tx
    .update(networkSegments)
    .set({ releasedAt: now })
    .where(and(eq(networkSegments.requestId, requestId), isNull(networkSegments.releasedAt)));
}

export async function releaseSystemSegments(tx: DbOrTx, systemId: string, now: Date): Promise<void> {
  await tx
    .update(networkSegments)
    .set({ releasedAt: now })
    .where(and(eq(networkSegments.systemId, systemId), isNull(networkSegments.releasedAt)));
}
