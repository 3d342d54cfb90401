import type { ROLES } from "@zhengyun/db/vocabulary";

type Role = (typeof ROLES)[number];

/** 三员分立: the system admin, security officer and auditor hold no other role. */
export const ADMIN_ROLES: readonly Role[] = ["sysadmin", "security", "auditor"];

/** Pairs one person may not hold together, besides the administrator roles' exclusivity. */
const CONFLICTS: readonly (readonly [Role, Role])[] = [
  // One person would approve a request at two stages (department, then platform).
  ["applicant", "ops"],
  ["dept_admin", "ops"],
  // One person would grade, approve and exempt their own systems.
  ["applicant", "security"],
  ["dept_admin", "security"],
];

/**
 * The conflicting roles in a set, or null when the set respects separation of duties. The same
 * rules hold in the database (trigger role_assignments_separation, migration 0007).
 */
export function separationConflict(roles: readonly Role[]): Role[] | null {
  const set = [...new Set(roles)];
  const admin = set.filter((r) => ADMIN_ROLES.includes(r));
  if (admin.length && set.length > 1) return set;
  for (const [a, b] of CONFLICTS) if (set.includes(a) && set.includes(b)) return [a, b];
  return null;
}
