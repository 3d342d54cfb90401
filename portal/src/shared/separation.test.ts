import { ROLES } from "@zhengyun/db/vocabulary";
import { describe, expect, it } from "vitest";
import { separationConflict } from "./separation.js";

describe("separation of duties", () => {
  it("allows every single role, and applicant with department admin", () => {
    for (const role of ROLES) expect(separationConflict([role])).toBeNull();
    expect(separationConflict([])).toBeNull();
    expect(separationConflict(["applicant", "dept_admin"])).toBeNull();
  });

  it("keeps each administrator role apart from every other role", () => {
    for (const admin of ["sysadmin", "security", "auditor"] as const)
      for (const other of ROLES) if (other !== admin) expect(separationConflict([admin, other]), `${admin}+${other}`).not.toBeNull();
  });

  it("keeps applicant and department admin apart from ops and security", () => {
    for (const business of ["applicant", "dept_admin"] as const)
      for (const platform of ["ops", "security"] as const)
        expect(separationConflict([business, platform])).toEqual(expect.arrayContaining([business, platform]));
  });
});
