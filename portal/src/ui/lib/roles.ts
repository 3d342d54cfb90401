/** Roles, and the separation of duties (三员分立) the server enforces, mirrored for the forms. */
import { ADMIN_ROLES, separationConflict } from "../../shared/separation.js";

export const ROLES = ["applicant", "dept_admin", "ops", "security", "auditor", "sysadmin"] as const;
export type Role = (typeof ROLES)[number];

/** Each of these is held alone (三员分立). */
export const EXCLUSIVE_ROLES: readonly Role[] = ADMIN_ROLES;

/** Roles that cannot be added to `selected` without breaking separation of duties. */
export function conflictingRoles(selected: readonly Role[]): Set<Role> {
  return new Set(ROLES.filter((r) => !selected.includes(r) && separationConflict([...selected, r]) !== null));
}

export function hasAny(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return wanted.some((r) => roles.includes(r));
}
