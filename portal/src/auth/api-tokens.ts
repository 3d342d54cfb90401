// Bearer tokens for integrations: `zy_` + 32 random bytes. Only their SHA-256 is stored.

import { randomBytes } from "node:crypto";
import { appendAudit } from "@zhengyun/db/audit/append";
import type { Db } from "@zhengyun/db/client";
import type { Actor } from "@zhengyun/db/context";
import { preparedFor } from "@zhengyun/db/prepared";
import { apiTokens, roleAssignments, users } from "@zhengyun/db/schema";
import type { Role } from "@zhengyun/db/schema/enums";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { tokenHash } from "./sessions.js";

export const TOKEN_PREFIX = "zy_";
/** Characters of the secret kept in clear to tell tokens apart. */
const SHOWN_PREFIX = 10;

export function newTokenSecret(): { secret: string; hash: string; prefix: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, hash: tokenHash(secret), prefix: secret.slice(0, SHOWN_PREFIX) };
}

/** The token in an `Authorization: Bearer zy_…` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(zy_[A-Za-z0-9_-]{20,100})\s*$/);
  return match?.[1];
}

/** Last-use time is written at most this often, so reads do not each write. */
const TOUCH_EVERY_MS = 60_000;

/** Token, owner and the owner's roles in one statement, prepared once per database handle. */
const tokenActorStatement = preparedFor((db: Db) =>
  db
    .select({
      tokenId: apiTokens.id,
      tokenName: apiTokens.name,
      tokenRoles: apiTokens.roles,
      lastUsedAt: apiTokens.lastUsedAt,
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      departmentId: users.departmentId,
      held: sql<Role[] | string>`coalesce(array_agg(${roleAssignments.role}::text) filter (where ${roleAssignments.role} is not null), '{}')`,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(roleAssignments, eq(roleAssignments.userId, users.id))
    .where(
      and(
        eq(apiTokens.tokenHash, sql.placeholder("hash")),
        gt(apiTokens.expiresAt, sql.placeholder("now")),
        isNull(apiTokens.revokedAt),
        eq(users.disabled, false),
      ),
    )
    .groupBy(apiTokens.id, users.id)
    .prepare("zy_token_actor"),
);

/**
 * The actor a token acts as: its owner, in the owner's department, with only the token's roles
 * that the owner still holds. Null when unknown, expired, revoked, or the owner is disabled.
 */
export async function resolveApiToken(db: Db, secret: string, now = new Date()): Promise<Actor | null> {
  const hash = tokenHash(secret);
  const statement = tokenActorStatement(db);
  const [row] = await statement.execute({ hash, now: now.toISOString() });
  if (!row) return null;
  const held = parseRoles(row.held);
  const roles = row.tokenRoles.filter((r) => held.includes(r));
  if (roles.length === 0) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    departmentId: row.departmentId,
    roles,
    token: { id: row.tokenId, name: row.tokenName },
  };
}

function parseRoles(value: Role[] | string): Role[] {
  if (Array.isArray(value)) return value;
  return value.replace(/^{|}$/g, "").split(",").filter(Boolean) as Role[];
}

/**
 * Records a mutation made with a token (whether it succeeded or was refused), next to the entry
 * the service itself writes, so the trail says which integration acted.
 */
export async function auditTokenMutation(
  db: Db,
  actor: Actor,
  call: { path: string; ok: boolean; code?: string | undefined; role: string | null; correlationId: string; at: Date },
) {
  if (!actor.token) return;
  const token = actor.token;
  await db.transaction(async (tx) => {
    await tx.update(apiTokens).set({ lastUsedAt: call.at }).where(eq(apiTokens.id, token.id));
    await appendAudit(tx, {
      actorId: actor.id,
      actorName: actor.username,
      actorRole: call.role,
      action: "api_token.used",
      targetType: "api_token",
      targetId: token.id,
      after: { name: token.name, procedure: call.path, ok: call.ok, ...(call.code ? { code: call.code } : {}) },
      correlationId: call.correlationId,
      at: call.at,
    });
  });
}
