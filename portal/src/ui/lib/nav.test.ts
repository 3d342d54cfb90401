import { describe, expect, it } from "vitest";
import { activeKey, homePath, navFor, releasePath } from "./nav.js";

describe("menu by role", () => {
  it("shows each role its own pages first", () => {
    expect(navFor(["applicant"]).map((n) => n.key)).toEqual(["systems", "newRequest", "myRequests"]);
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
    expect(navFor(["auditor"]).map((n) => n.key)).toEqual(["audit"]);
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
