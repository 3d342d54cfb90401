import { describe, expect, it } from "vitest";
import { checkSeparationOfDuties } from "../../services/users-service.js";
import { conflictingRoles, EXCLUSIVE_ROLES, ROLES, type Role } from "./roles.js";

describe("separation of duties in the role form", () => {
  it("blocks every role that conflicts with those chosen", () => {
    expect([...conflictingRoles(["auditor"])].sort()).toEqual(["applicant", "dept_admin", "ops", "security", "sysadmin"]);
    expect([...conflictingRoles(["applicant"])].sort()).toEqual(["auditor", "ops", "security", "sysadmin"]);
    expect([...conflictingRoles(["ops"])].sort()).toEqual(["applicant", "auditor", "dept_admin", "security", "sysadmin"]);
    expect(conflictingRoles([]).size).toBe(0);
  });

  it("never offers a combination the server refuses", () => {
    // Every set reachable by ticking boxes the form leaves enabled passes the server's check.
    const reachable = (selected: Role[]): Role[][] => {
      const blocked = conflictingRoles(selected);
      const next = ROLES.filter((r) => !selected.includes(r) && !blocked.has(r));
      return [selected, ...next.flatMap((r) => (r > (selected.at(-1) ?? "") ? reachable([...selected, r]) : []))];
    };
    const sets = reachable([]);
    expect(sets.length).toBeGreaterThan(6);
    for (const set of sets) expect(() => checkSeparationOfDuties(set)).not.toThrow();
    expect(EXCLUSIVE_ROLES).toHaveLength(3);
  });
});
