import { asc, eq, inArray } from "drizzle-orm";
import { hashPassword } from "../auth/passwords.js";
import { clearThrottle, lockedUntilOf } from "../auth/throttle.js";
import type { Role } from "../db/schema/enums.js";
import { departments, roleAssignments, sessions, users } from "../db/schema/index.js";
import { AppError, notFound } from "../errors/app-error.js";
import { audit } from "./audit-service.js";
import type { ServiceContext } from "./context.js";

/** 三员分立: at most one of these per person. */
export const EXCLUSIVE_ROLES: readonly Role[] = ["sysadmin", "security", "auditor"];

export function checkSeparationOfDuties(roles: readonly Role[]): void {
  const held = roles.filter((r) => EXCLUSIVE_ROLES.includes(r));
  if (held.length > 1)
    throw new AppError("SEPARATION_OF_DUTIES", `三员分立: system admin, security officer and auditor are mutually exclusive (asked: ${held.join(", ")})`, {
      field: "roles",
    });
}

export async function listUsers(ctx: ServiceContext) {
  const rows = await ctx.db
    .select({
      id: users.id,
      username: users.username,
      displayName: users.displayName,
      departmentId: users.departmentId,
      departmentName: departments.name,
      disabled: users.disabled,
      lockedUntil: lockedUntilOf(users.username),
      sso: users.oidcSubject,
    })
    .from(users)
    .innerJoin(departments, eq(departments.id, users.departmentId))
    .orderBy(asc(users.username));
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
  return rows.map((r) => ({ ...r, sso: r.sso !== null, roles: roles.filter((x) => x.userId === r.id).map((x) => x.role) }));
}

export async function createUser(
  ctx: ServiceContext,
  input: { username: string; displayName: string; departmentId: string; password: string | null; roles: Role[] },
) {
  checkSeparationOfDuties(input.roles);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ username: input.username, displayName: input.displayName, departmentId: input.departmentId, passwordHash })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!row) throw new AppError("CONFLICT", "username: already taken", { field: "username" });
    if (input.roles.length) await tx.insert(roleAssignments).values(input.roles.map((role) => ({ userId: row.id, role })));
    await audit(
      tx,
      ctx,
      "user.create",
      { type: "user", id: row.id },
      { after: { username: input.username, departmentId: input.departmentId, roles: input.roles } },
    );
    return row;
  });
}

export async function setRoles(ctx: ServiceContext, userId: string, roles: Role[]) {
  checkSeparationOfDuties(roles);
  if (userId === ctx.actor.id && !roles.includes("sysadmin"))
    throw new AppError("INVALID_INPUT", "roles: you cannot remove your own system admin role", { field: "roles" });
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
