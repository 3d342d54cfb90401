import { createHash, randomBytes, randomUUID } from "node:crypto";
import { appendAudit } from "@zhengyun/db/audit/append";
import type { Db, DbOrTx } from "@zhengyun/db/client";
import type { Actor } from "@zhengyun/db/context";
import { preparedFor } from "@zhengyun/db/prepared";
import { roleAssignments, type SignInNotice, sessions, users } from "@zhengyun/db/schema";
import type { Role } from "@zhengyun/db/schema/enums";
import { and, desc, eq, gt, inArray, lt, or, sql } from "drizzle-orm";
import type { AuthPolicy } from "./policy.js";

export const tokenHash = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Issues a session once every sign-in step is done. In one transaction (the account row locked):
 * the notice of the previous successful and last failed sign-in is kept with the session, this
 * sign-in becomes the last one, and the account's oldest sessions beyond `maxSessions` end.
 */
export async function createSession(db: Db, userId: string, policy: AuthPolicy, meta: { ip?: string; userAgent?: string }, now = new Date()) {
  const token = randomBytes(32).toString("base64url");
  await db.transaction(async (tx) => {
    const [account] = await tx
      .select({
        username: users.username,
        lastLoginAt: users.lastLoginAt,
        lastLoginIp: users.lastLoginIp,
        lastFailedLoginAt: users.lastFailedLoginAt,
        lastFailedLoginIp: users.lastFailedLoginIp,
      })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!account) throw new Error(`no account ${userId}`);
    const notice: SignInNotice = {
      lastLogin: account.lastLoginAt ? { at: account.lastLoginAt.toISOString(), ip: account.lastLoginIp } : null,
      lastFailed: account.lastFailedLoginAt ? { at: account.lastFailedLoginAt.toISOString(), ip: account.lastFailedLoginIp } : null,
    };
    await tx
      .update(users)
      .set({ lastLoginAt: now, lastLoginIp: meta.ip ?? null })
      .where(eq(users.id, userId));
    const open = await tx.select({ tokenHash: sessions.tokenHash }).from(sessions).where(eq(sessions.userId, userId)).orderBy(desc(sessions.createdAt));
    const ended = open.slice(Math.max(0, policy.maxSessions - 1)).map((s) => s.tokenHash);
    if (ended.length) {
      await tx.delete(sessions).where(inArray(sessions.tokenHash, ended));
      await appendAudit(tx, {
        actorId: userId,
        actorName: account.username,
        actorRole: null,
        action: "auth.sessions_ended",
        targetType: "user",
        targetId: userId,
        after: { reason: "concurrent session limit", limit: policy.maxSessions, ended: ended.length },
        correlationId: randomUUID(),
        at: now,
      });
    }
    await tx.insert(sessions).values({
      tokenHash: tokenHash(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.absoluteTimeoutMs),
      ip: meta.ip ?? null,
      userAgent: meta.userAgent ?? null,
      notice,
    });
  });
  return token;
}

/** The sign-in notice kept with a session. */
export async function sessionNotice(db: Db, token: string | undefined): Promise<SignInNotice | null> {
  if (!token) return null;
  const [row] = await db
    .select({ notice: sessions.notice })
    .from(sessions)
    .where(eq(sessions.tokenHash, tokenHash(token)));
  return row?.notice ?? null;
}

/** Activity refreshes a session at most this often, so reads do not each write. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Session, user and roles in one statement, prepared once per database handle: every signed-in
 * request runs it, so it is neither rebuilt nor re-planned each time.
 */
const sessionActorStatement = preparedFor((db: Db) =>
  db
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
    .where(
      and(
        eq(sessions.tokenHash, sql.placeholder("hash")),
        gt(sessions.expiresAt, sql.placeholder("now")),
        gt(sessions.lastSeenAt, sql.placeholder("idleCutoff")),
        eq(users.disabled, false),
      ),
    )
    .groupBy(users.id, sessions.lastSeenAt)
    .prepare("zy_session_actor"),
);

/**
 * The actor behind a session token, or null when the token is unknown, expired, idle too long,
 * or its user is disabled. One query reads session, user and roles; activity extends the idle
 * window (written at most once a minute).
 */
export async function resolveSession(db: Db, token: string | undefined, policy: AuthPolicy, now = new Date()): Promise<Actor | null> {
  if (!token) return null;
  const hash = tokenHash(token);
  const idleCutoff = new Date(now.getTime() - policy.idleTimeoutMs);
  const statement = sessionActorStatement(db);
  const [row] = await statement.execute({ hash, now: now.toISOString(), idleCutoff: idleCutoff.toISOString() });
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
