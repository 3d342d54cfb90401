/** Roles, and the separation of duties (三员分立) the server enforces, mirrored for the forms. */

export const ROLES = ["applicant", "dept_admin", "ops", "security", "auditor", "sysadmin"] as const;
export type Role = (typeof ROLES)[number];

/** At most one of these per person. */
export const EXCLUSIVE_ROLES: readonly Role[] = ["sysadmin", "security", "auditor"];

/** Roles that cannot be added to `selected` without breaking separation of duties. */
export function conflictingRoles(selected: readonly Role[]): Set<Role> {
  const held = selected.filter((r) => EXCLUSIVE_ROLES.includes(r));
  if (held.length === 0) return new Set();
  return new Set(EXCLUSIVE_ROLES.filter((r) => !held.includes(r)));
}

export function hasAny(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return wanted.some((r) => roles.includes(r));
}
