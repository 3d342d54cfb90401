import type { DbOrTx, Tx } from "@zhengyun/db/client";
import { loginThrottle } from "@zhengyun/db/schema";
import { and, eq, lt, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";

/**
 * Sign-in failures are counted per (login name, source address). The name is folded to lower case
 * so case variants share a counter; the source is the client address as the server sees it (with
 * TRUST_PROXY, the forwarded one).
 */
export const throttleKey = (username: string, source: string | undefined) => ({ loginName: username.trim().toLowerCase(), source: source ?? "unknown" });

/** The counter for one (name, source), created if absent and locked for the rest of the transaction. */
export async function lockThrottle(tx: Tx, key: { loginName: string; source: string }) {
  await tx.insert(loginThrottle).values(key).onConflictDoNothing();
  const [row] = await tx
    .select({ failures: loginThrottle.failures, lockedUntil: loginThrottle.lockedUntil })
    .from(loginThrottle)
    .where(and(eq(loginThrottle.loginName, key.loginName), eq(loginThrottle.source, key.source)))
    .for("update");
  return row ?? { failures: 0, lockedUntil: null };
}

export async function setThrottle(tx: Tx, key: { loginName: string; source: string }, state: { failures: number; lockedUntil: Date | null }, now: Date) {
  await tx
    .update(loginThrottle)
    .set({ ...state, updatedAt: now })
    .where(and(eq(loginThrottle.loginName, key.loginName), eq(loginThrottle.source, key.source)));
}

export async function clearThrottle(tx: DbOrTx, key: { loginName: string; source?: string }) {
  await tx
    .delete(loginThrottle)
    .where(
      key.source === undefined
        ? eq(loginThrottle.loginName, key.loginName)
        : and(eq(loginThrottle.loginName, key.loginName), eq(loginThrottle.source, key.source)),
    );
}

/** The latest lock on a login name from any source, for the administrators' user list. */
export const lockedUntilOf = (username: AnyPgColumn) =>
  sql<Date | null>`(select max(${loginThrottle.lockedUntil}) from ${loginThrottle} where ${loginThrottle.loginName} = lower(${username}))`.mapWith(
    loginThrottle.lockedUntil,
  );

/** Counters untouched for a day are forgotten. */
export async function purgeStaleThrottles(db: DbOrTx, now = new Date()) {
  await db.delete(loginThrottle).where(lt(loginThrottle.updatedAt, new Date(now.getTime() - 24 * 3600_000)));
}
