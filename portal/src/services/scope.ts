import type { ServiceContext } from "@zhengyun/db/context";
import { forbidden } from "@zhengyun/db/errors";
import type { Role } from "@zhengyun/db/schema/enums";

/** Roles whose work spans every department. */
const PLATFORM_ROLES: readonly Role[] = ["ops", "security", "auditor", "sysadmin"];

export function seesAllDepartments(ctx: ServiceContext): boolean {
  return PLATFORM_ROLES.includes(ctx.role);
}

/** Department scoping: applicants and department admins act only within their own department. */
export function assertDepartment(ctx: ServiceContext, departmentId: string): void {
  if (!seesAllDepartments(ctx) && ctx.actor.departmentId !== departmentId) throw forbidden();
}

/** The department filter for list queries: null means all. */
export function departmentFilter(ctx: ServiceContext): string | null {
  return seesAllDepartments(ctx) ? null : ctx.actor.departmentId;
}

/** The context re-cast to act in `role`, which the caller must hold. */
export function actingAs(ctx: ServiceContext, role: Role): ServiceContext {
  if (!ctx.actor.roles.includes(role)) throw forbidden();
  return ctx.role === role ? ctx : { ...ctx, role };
}
