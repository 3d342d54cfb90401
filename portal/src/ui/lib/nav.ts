/** Which pages each role works in: the menu and the route guards both read this table. */
import type { Role } from "./roles.js";

export type NavKey =
  | "systems"
  | "newRequest"
  | "myRequests"
  | "deptOverview"
  | "deptApprovals"
  | "deptRequests"
  | "opsApprovals"
  | "ceilings"
  | "capacity"
  | "ratings"
  | "securityApprovals"
  | "grading"
  | "exemptions"
  | "mfaReset"
  | "evidence"
  | "catalog"
  | "audit"
  | "egressLog"
  | "users"
  | "tokens"
  | "usageReport"
  | "opsUsage"
  | "autoRules"
  | "notifications"
  | "webhooks";

export interface NavItem {
  key: NavKey;
  path: string;
  roles: readonly Role[];
}

export const NAV: readonly NavItem[] = [
  { key: "systems", path: "/systems", roles: ["applicant"] },
  { key: "newRequest", path: "/requests/new", roles: ["applicant"] },
  { key: "myRequests", path: "/requests", roles: ["applicant"] },
  { key: "deptOverview", path: "/dept", roles: ["dept_admin"] },
  { key: "deptApprovals", path: "/dept/approvals", roles: ["dept_admin"] },
  { key: "deptRequests", path: "/dept/requests", roles: ["dept_admin"] },
  { key: "webhooks", path: "/dept/webhooks", roles: ["dept_admin"] },
  { key: "opsApprovals", path: "/ops/approvals", roles: ["ops"] },
  { key: "ceilings", path: "/ops/ceilings", roles: ["ops"] },
  { key: "ratings", path: "/ops/ratings", roles: ["ops"] },
  { key: "opsUsage", path: "/ops/usage", roles: ["ops"] },
  { key: "autoRules", path: "/ops/auto-approval", roles: ["ops"] },
  { key: "securityApprovals", path: "/security/approvals", roles: ["security"] },
  { key: "grading", path: "/security/grading", roles: ["security"] },
  { key: "exemptions", path: "/security/exemptions", roles: ["security"] },
  { key: "mfaReset", path: "/security/mfa-reset", roles: ["security"] },
  { key: "audit", path: "/audit", roles: ["auditor"] },
  { key: "evidence", path: "/security/evidence", roles: ["security", "auditor", "dept_admin"] },
  { key: "users", path: "/admin/users", roles: ["sysadmin"] },
  { key: "usageReport", path: "/usage", roles: ["dept_admin", "applicant"] },
  // Shared by several roles, so after each role's own pages.
  { key: "capacity", path: "/ops/capacity", roles: ["ops", "security", "sysadmin"] },
  { key: "catalog", path: "/security/catalog", roles: ["security", "ops", "auditor"] },
  { key: "egressLog", path: "/egress/log", roles: ["security", "auditor", "ops", "dept_admin", "applicant"] },
  { key: "tokens", path: "/tokens", roles: ["dept_admin", "ops", "security", "auditor", "sysadmin"] },
  // Everyone's, last: the bell in the header opens it too.
  { key: "notifications", path: "/notifications", roles: ["applicant", "dept_admin", "ops", "security", "auditor", "sysadmin"] },
];

/** Roles that may open a request's detail page (requests.get). */
export const REQUEST_DETAIL_ROLES: readonly Role[] = ["applicant", "dept_admin", "ops", "security", "auditor"];

/** The release page of one system: opened from the systems page (not the menu), by those who file requests (requests.create). */
export const RELEASE_PATH = "/systems/:systemId/release";
export const RELEASE_ROLES: readonly Role[] = ["applicant"];
export const releasePath = (systemId: string): string => RELEASE_PATH.replace(":systemId", encodeURIComponent(systemId));

export function navFor(roles: readonly Role[]): NavItem[] {
  return NAV.filter((item) => item.roles.some((r) => roles.includes(r)));
}

/** Where a person lands after signing in: the first page their roles open. */
export function homePath(roles: readonly Role[]): string | null {
  return navFor(roles)[0]?.path ?? null;
}

export function rolesFor(key: NavKey): readonly Role[] {
  return NAV.find((n) => n.key === key)?.roles ?? [];
}

/** The menu entry a location belongs to: the longest path that prefixes it. */
export function activeKey(pathname: string, items: readonly NavItem[]): NavKey | undefined {
  let best: NavItem | undefined;
  for (const item of items) {
    const matches = pathname === item.path || pathname.startsWith(`${item.path}/`);
    if (matches && (!best || item.path.length > best.path.length)) best = item;
  }
  return best?.key;
}
