import type { ServiceContext } from "@zhengyun/db/context";
import { AppError, notFound } from "@zhengyun/db/errors";
import { departments, roleAssignments, sessions, signInChallenges, users } from "@zhengyun/db/schema";
import type { Role } from "@zhengyun/db/schema/enums";
import { asc, eq, inArray } from "drizzle-orm";
import { clearSecondFactor } from "../auth/mfa.js";
import { storePassword } from "../auth/password-change.js";
import { temporaryPassword } from "../auth/password-rules.js";
import type { PasswordPolicy } from "../auth/policy.js";
import { clearThrottle, lockedUntilOf } from "../auth/throttle.js";
import { separationConflict } from "../shared/separation.js";
import { audit } from "./audit-service.js";
import { afterKey, decodeKeys, toPage } from "./paging.js";

/** Refuses a role set that breaks separation of duties (三员分立; two-stage approval by different people). */
export function checkSeparationOfDuties(roles: readonly Role[]): void {
  const conflict = separationConflict(roles);
  if (conflict)
    throw new AppError(
      "SEPARATION_OF_DUTIES",
      `职责分离: ${conflict.join(" + ")} 不能由同一人担任 / separation of duties: one person may not hold ${conflict.join(" and ")}`,
      { field: "roles" },
    );
}

/** One page of accounts, by user name. */
export async function listUsers(ctx: ServiceContext, q: { cursor?: string | undefined; limit: number }) {
  const found = await ctx.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      departmentId: users.departmentId,
      departmentName: departments.name,
      disabled: users.disabled,
      lockedUntil: lockedUntilOf(users.username),
      sso: users.oidcSubject,
      ssoUsername: users.ssoUsername,
      mfa: users.totpEnabledAt,
      mustChangePassword: users.mustChangePassword,
    })
    .from(users)
    .innerJoin(departments, eq(departments.id, users.departmentId))
    .where(afterKey([users.username, users.id], decodeKeys(q.cursor, ["string", "uuid"])))
    .orderBy(asc(users.username), asc(users.id))
    .limit(q.limit + 1);
  const { items: rows, nextCursor } = toPage(found, q.limit, (r) => [r.username, r.id]);
  const roles = rows.length
    ? await ctx.db
        .select()
        .from(roleAssignments)
        .where(
          inArray(
            roleAssignments.userId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  return {
    nextCursor,
    items: rows.map((r) => ({ ...r, sso: r.sso !== null, mfa: r.mfa !== null, roles: roles.filter((x) => x.userId === r.id).map((x) => x.role) })),
  };
}

/**
 * Creates an account with a generated temporary password, returned this once: nobody chooses a
 * password for someone else, and the person must change it at the first sign-in.
 */
export async function createUser(
  ctx: ServiceContext,
  input: { username: string; displayName: string; departmentId: string; roles: Role[]; ssoUsername?: string | null | undefined },
  policy: PasswordPolicy,
) {
  checkSeparationOfDuties(input.roles);
  const temporary = temporaryPassword();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ username: input.username, displayName: input.displayName, departmentId: input.departmentId, ssoUsername: input.ssoUsername ?? null })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!row) throw new AppError("CONFLICT", "username: already taken", { field: "username" });
    await storePassword(tx, policy, row.id, temporary, { temporary: true, now: ctx.now() });
    if (input.roles.length) await tx.insert(roleAssignments).values(input.roles.map((role) => ({ userId: row.id, role })));
    await audit(
      tx,
      ctx,
      "user.create",
      { type: "user", id: row.id },
      {
        after: {
          username: input.username,
          departmentId: input.departmentId,
          roles: input.roles,
          ssoUsername: input.ssoUsername ?? null,
          password: "temporary",
        },
      },
    );
    return { id: row.id, temporaryPassword: temporary };
  });
}

/** A new temporary password for someone else's account (never one's own): sessions end, locks lift. */
export async function resetPassword(ctx: ServiceContext, userId: string, policy: PasswordPolicy) {
  if (userId === ctx.actor.id) throw new AppError("FORBIDDEN", "不能重置自己的口令, 请使用修改口令 / change your own password instead of resetting it");
  const temporary = temporaryPassword();
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, username: users.username }).from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw notFound("user");
    await storePassword(tx, policy, userId, temporary, { temporary: true, now: ctx.now() });
    await tx.update(users).set({ failedLogins: 0, lockedUntil: null }).where(eq(users.id, userId));
    await clearThrottle(tx, { loginName: user.username.toLowerCase() });
    await tx.delete(sessions).where(eq(sessions.userId, userId));
    await tx.delete(signInChallenges).where(eq(signInChallenges.userId, userId));
    await audit(tx, ctx, "user.password_reset", { type: "user", id: userId }, { after: { password: "temporary", sessionsEnded: true } });
    return { userId, temporaryPassword: temporary };
  });
}

/** The security officer resets someone else's second factor: the next sign-in enrols afresh. */
export async function resetSecondFactor(ctx: ServiceContext, username: string) {
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id, totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.username, username)).for("update");
    if (!user) throw notFound("user");
    if (user.id === ctx.actor.id) throw new AppError("FORBIDDEN", "不能重置自己的双因素认证 / another security officer must reset your own second factor");
    await clearSecondFactor(tx, user.id);
    await audit(tx, ctx, "user.mfa_reset", { type: "user", id: user.id }, { before: { enrolled: user.totpEnabledAt !== null }, after: { enrolled: false } });
    return { userId: user.id };
  });
}

/**
 * Marks an account for SSO with the identity provider username expected at its first SSO login
 * (which then links the provider's issuer and subject), or unmarks and unlinks it (null).
 */
export async function setSso(ctx: ServiceContext, userId: string, ssoUsername: string | null) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ ssoUsername: users.ssoUsername, oidcIssuer: users.oidcIssuer, oidcSubject: users.oidcSubject })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!before) throw notFound("user");
    const patch = ssoUsername === null ? { ssoUsername: null, oidcIssuer: null, oidcSubject: null } : { ssoUsername };
    await tx.update(users).set(patch).where(eq(users.id, userId));
    await audit(tx, ctx, "user.set_sso", { type: "user", id: userId }, { before, after: patch });
    return { userId, ssoUsername };
  });
}

export async function setRoles(ctx: ServiceContext, userId: string, roles: Role[]) {
  if (userId === ctx.actor.id)
    throw new AppError("SEPARATION_OF_DUTIES", "职责分离: 不能修改自己的角色 / nobody may change their own roles", { field: "roles" });
  checkSeparationOfDuties(roles);
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    if (!user) throw notFound("user");
    const before = (await tx.select({ role: roleAssignments.role }).from(roleAssignments).where(eq(roleAssignments.userId, userId))).map((r) => r.role);
    await tx.delete(roleAssignments).where(eq(roleAssignments.userId, userId));
    if (roles.length) await tx.insert(roleAssignments).values(roles.map((role) => ({ userId, role })));
    await audit(tx, ctx, "user.set_roles", { type: "user", id: userId }, { before, after: roles });
    return { userId, roles };
  });
}

export async function setUserStatus(ctx: ServiceContext, userId: string, input: { disabled?: boolean | undefined; unlock?: boolean | undefined }) {
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx
      .select({ username: users.username, disabled: users.disabled, lockedUntil: lockedUntilOf(users.username) })
      .from(users)
      .where(eq(users.id, userId))
      .for("update");
    if (!before) throw notFound("user");
    // Unlocking lifts the lock for every source address.
    if (input.unlock) await clearThrottle(tx, { loginName: before.username.toLowerCase() });
    const patch = {
      ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
      ...(input.unlock ? { lockedUntil: null, failedLogins: 0 } : {}),
    };
    await tx.update(users).set(patch).where(eq(users.id, userId));
    // A disabled account loses its sessions for good: re-enabling it must not revive them.
    if (input.disabled) await tx.delete(sessions).where(eq(sessions.userId, userId));
    await audit(tx, ctx, "user.set_status", { type: "user", id: userId }, { before, after: patch });
    return { userId, ...patch };
  });
}
