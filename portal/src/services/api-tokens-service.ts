import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, forbidden, notFound } from "@zhengyun/db/errors";
import { apiTokens, users } from "@zhengyun/db/schema";
import type { Role } from "@zhengyun/db/schema/enums";
import { and, desc, eq, or, type SQL, sql } from "drizzle-orm";
import { newTokenSecret } from "../auth/api-tokens.js";
import { audit } from "./audit-service.js";
import { afterKey, decodeKeys, toPage } from "./paging.js";

export const MAX_TOKEN_DAYS = 365;
const DAY_MS = 86_400_000;

/**
 * Which tokens the caller manages: a department admin their own and their department's
 * integrations' (tokens of department roles only); a platform role its own automation's.
 */
function scope(ctx: ServiceContext): SQL {
  const own = eq(apiTokens.userId, ctx.actor.id);
  if (ctx.role !== "dept_admin") return own;
  const departmentIntegration = and(eq(apiTokens.departmentId, ctx.actor.departmentId), sql`${apiTokens.roles} <@ ARRAY['applicant', 'dept_admin']::text[]`);
  return or(own, departmentIntegration) as SQL;
}

export async function createApiToken(ctx: ServiceContext, input: { name: string; roles: Role[]; expiresInDays: number }) {
  if (ctx.actor.token) throw forbidden("API 令牌不能创建令牌，请登录后创建 / a token cannot create tokens; sign in to create one");
  const notHeld = input.roles.filter((r) => !ctx.actor.roles.includes(r));
  if (notHeld.length)
    throw new AppError("FORBIDDEN", `令牌只能授予您拥有的角色 / a token may only carry roles you hold (not: ${notHeld.join(", ")})`, { field: "roles" });
  const roles = [...new Set(input.roles)];
  const now = ctx.now();
  const { secret, hash, prefix } = newTokenSecret();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        tokenHash: hash,
        prefix,
        userId: ctx.actor.id,
        departmentId: ctx.actor.departmentId,
        roles,
        createdAt: now,
        expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS),
      })
      .returning({ id: apiTokens.id, expiresAt: apiTokens.expiresAt });
    const created = row!;
    await audit(
      tx,
      ctx,
      "api_token.created",
      { type: "api_token", id: created.id },
      { after: { name: input.name, roles, prefix, expiresAt: created.expiresAt } },
    );
    return { id: created.id, name: input.name, roles, prefix, expiresAt: created.expiresAt, secret };
  });
}

export async function listApiTokens(ctx: ServiceContext, q: { cursor?: string | undefined; limit: number }) {
  // The creation time's full (microsecond) text: a JavaScript Date would round it to milliseconds.
  const createdKey = sql<string>`${apiTokens.createdAt}::text`;
  const position = afterKey([apiTokens.createdAt, apiTokens.id], decodeKeys(q.cursor, ["string", "uuid"]), "desc");
  const rows = await ctx.db
    .select({
      id: apiTokens.id,
      name: apiTokens.name,
      prefix: apiTokens.prefix,
      roles: apiTokens.roles,
      ownerName: users.displayName,
      createdAt: apiTokens.createdAt,
      expiresAt: apiTokens.expiresAt,
      lastUsedAt: apiTokens.lastUsedAt,
      revokedAt: apiTokens.revokedAt,
      createdKey,
    })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(scope(ctx), position))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => [r.createdKey, r.id]);
  return { ...page, items: page.items.map(({ createdKey: _, ...r }) => r) };
}

export async function revokeApiToken(ctx: ServiceContext, id: string) {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: apiTokens.id, name: apiTokens.name, revokedAt: apiTokens.revokedAt })
      .from(apiTokens)
      .where(and(eq(apiTokens.id, id), scope(ctx)))
      .for("update");
    if (!row) throw notFound("API token");
    if (row.revokedAt) throw new AppError("INVALID_STATE", "令牌已吊销 / the token is already revoked");
    const now = ctx.now();
    await tx.update(apiTokens).set({ revokedAt: now, revokedBy: ctx.actor.id }).where(eq(apiTokens.id, id));
    await audit(tx, ctx, "api_token.revoked", { type: "api_token", id }, { after: { name: row.name } });
    return { id, revokedAt: now };
  });
}
