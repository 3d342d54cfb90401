import { describe, expect, it } from "vitest";
import { activeKey, homePath, navFor, releasePath, rolesFor } from "./nav.js";

describe("menu by role", () => {
  it("shows each role its own pages first", () => {
    expect(navFor(["applicant"]).map((n) => n.key)).toEqual(["systems", "newRequest", "myRequests", "usageReport", "egressLog", "notifications"]);
    expect(homePath(["security"])).toBe("/security/approvals");
    expect(homePath(["sysadmin"])).toBe("/admin/users");
    expect(homePath(["ops"])).toBe("/ops/approvals");
    expect(homePath(["auditor"])).toBe("/audit");
    expect(homePath([])).toBeNull();
  });

  it("merges the pages of several roles without duplicates", () => {
    const keys = navFor(["ops", "security"]).map((n) => n.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k === "capacity")).toHaveLength(1);
  });

  it("gives the auditor nothing that changes state", () => {
    // The evidence page offers "check again" to security officers only; the catalog and the egress log are read-only.
    // API tokens are the auditor's own automation's (audit reads only).
    expect(navFor(["auditor"]).map((n) => n.key)).toEqual(["audit", "evidence", "catalog", "egressLog", "tokens", "notifications"]);
  });

  it("opens the policy catalog to security first, and to ops and the auditor", () => {
    expect(rolesFor("catalog")).toEqual(["security", "ops", "auditor"]);
    for (const role of ["applicant", "dept_admin", "sysadmin"] as const) expect(navFor([role]).map((n) => n.key)).not.toContain("catalog");
    // After each role's own pages, so nobody lands on it after signing in.
    expect(
      navFor(["security"])
        .map((n) => n.key)
        .slice(-4),
    ).toEqual(["catalog", "egressLog", "tokens", "notifications"]);
  });

  it("opens the egress log to everyone who sees systems, after their own pages", () => {
    expect(rolesFor("egressLog")).toEqual(["security", "auditor", "ops", "dept_admin", "applicant"]);
    expect(navFor(["sysadmin"]).map((n) => n.key)).not.toContain("egressLog");
  });

  it("gives every role the notification centre, last, and department admins their webhooks", () => {
    for (const role of ["applicant", "dept_admin", "ops", "security", "auditor", "sysadmin"] as const) {
      expect(navFor([role]).at(-1)?.key, role).toBe("notifications");
      expect(homePath([role]), role).not.toBe("/notifications");
    }
    expect(rolesFor("webhooks")).toEqual(["dept_admin"]);
  });

  it("shows usage and cost to the department's staff, and the all-department reports and auto-approval rules to ops", () => {
    expect(rolesFor("usageReport")).toEqual(["dept_admin", "applicant"]);
    expect(rolesFor("opsUsage")).toEqual(["ops"]);
    expect(rolesFor("autoRules")).toEqual(["ops"]);
    expect(navFor(["dept_admin"]).map((n) => n.key)).toEqual([
      "deptOverview",
      "deptApprovals",
      "deptRequests",
      "webhooks",
      "evidence",
      "usageReport",
      "egressLog",
      "tokens",
      "notifications",
    ]);
    expect(navFor(["ops"]).map((n) => n.key)).toEqual([
      "opsApprovals",
      "ceilings",
      "ratings",
      "opsUsage",
      "autoRules",
      "capacity",
      "catalog",
      "egressLog",
      "tokens",
      "notifications",
    ]);
    for (const role of ["security", "auditor", "sysadmin"] as const) {
      const keys = navFor([role]).map((n) => n.key);
      for (const key of ["usageReport", "opsUsage", "autoRules"] as const) expect(keys).not.toContain(key);
    }
    expect(homePath(["dept_admin"])).toBe("/dept");
  });

  it("marks the menu entry a page belongs to", () => {
    const items = navFor(["applicant"]);
    expect(activeKey("/requests/new", items)).toBe("newRequest");
    expect(activeKey("/requests/5d0c6e8e-0000-4000-8000-000000000000", items)).toBe("myRequests");
    expect(activeKey("/elsewhere", items)).toBeUndefined();
    // A system's release page belongs to the systems it is opened from.
    expect(activeKey(releasePath("5d0c6e8e-0000-4000-8000-000000000000"), items)).toBe("systems");
  });
});
