import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, or } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client.js";
import { roleAssignments, sessions, users } from "../db/schema/index.js";
import type { Actor } from "../services/context.js";
import type { AuthPolicy } from "./policy.js";

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(db: Db, userId: string, policy: AuthPolicy, meta: { ip?: string; userAgent?: string }, now = new Date()) {
  const token = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({
    tokenHash: tokenHash(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + policy.absoluteTimeoutMs),
    ip: meta.ip ?? null,
    userAgent: meta.userAgent ?? null,
  });
  return token;
}

/**
 * The actor behind a session token, or null when the token is unknown, expired, idle too long,
 * or its user is disabled. Touches the session so activity extends the idle window.
 */
export async function resolveSession(db: Db, token: string | undefined, policy: AuthPolicy, now = new Date()): Promise<Actor | null> {
  if (!token) return null;
  const idleCutoff = new Date(now.getTime() - policy.idleTimeoutMs);
  const [row] = await db
    .update(sessions)
    .set({ lastSeenAt: now })
    .where(and(eq(sessions.tokenHash, tokenHash(token)), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleCutoff)))
    .returning({ userId: sessions.userId });
  if (!row) return null;
  const [user] = await db.select({ id: users.id, username: users.username, displayName: users.displayName, departmentId: users.departmentId, disabled: users.disabled }).from(users).where(eq(users.id, row.userId));
  if (!user || user.disabled) return null;
  const roles = await db.select({ role: roleAssignments.role }).from(roleAssignments).where(eq(roleAssignments.userId, user.id));
  return { id: user.id, username: user.username, displayName: user.displayName, departmentId: user.departmentId, roles: roles.map((r) => r.role) };
}

export async function destroySession(db: DbOrTx, token: string | undefined): Promise<void> {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

export async function purgeStaleSessions(db: Db, policy: AuthPolicy, now = new Date()): Promise<void> {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleTimeoutMs))));
}
