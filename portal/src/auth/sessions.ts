import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt, or, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../db/client.js";
import type { Role } from "../db/schema/enums.js";
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

/** Activity refreshes a session at most this often, so reads do not each write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * The actor behind a session token, or null when the token is unknown, expired, idle too long,
 * or its user is disabled. One query reads session, user and roles; activity extends the idle
 * window (written at most once a minute).
 */
export async function resolveSession(db: Db, token: string | undefined, policy: AuthPolicy, now = new Date()): Promise<Actor | null> {
  if (!token) return null;
  const hash = tokenHash(token);
  const idleCutoff = new Date(now.getTime() - policy.idleTimeoutMs);
  const [row] = await db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      departmentId: users.departmentId,
      lastSeenAt: sessions.lastSeenAt,
      roles: sql<Role[]>`coalesce(array_agg(${roleAssignments.role}) filter (where ${roleAssignments.role} is not null), '{}')`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(and(eq(sessions.tokenHash, hash), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleCutoff), eq(users.disabled, false)))
    .groupBy(users.id, sessions.lastSeenAt);
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.tokenHash, hash));
  return { id: row.id, username: row.username, displayName: row.displayName, departmentId: row.departmentId, roles: parseRoles(row.roles) };
}

/** node-postgres returns enum arrays as "{a,b}" text; PGlite returns arrays. */
function parseRoles(value: Role[] | string): Role[] {
  if (Array.isArray(value)) return value;
  return value.replace(/^{|}$/g, "").split(",").filter(Boolean) as Role[];
}

export async function destroySession(db: DbOrTx, token: string | undefined): Promise<void> {
  if (token) await db.delete(sessions).where(eq(sessions.tokenHash, tokenHash(token)));
}

export async function purgeStaleSessions(db: Db, policy: AuthPolicy, now = new Date()): Promise<void> {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - policy.idleTimeoutMs))));
}
