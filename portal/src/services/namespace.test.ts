import { describe, expect, it } from "vitest";
import { namespaceFor } from "./systems-service.js";

describe("namespaceFor", () => {
  it("gives a DNS label of at most 50 characters, the policy catalog's limit, whatever the department code", () => {
    const id = "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b";
    for (const code of ["fgw", "U001", "a-very-long-department-code-that-goes-on-and-on-and-on", "---", "税务局"]) {
      const ns = namespaceFor(code, id);
      expect(ns.length).toBeLessThanOrEqual(50);
      expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
    expect(namespaceFor("fgw", id)).toBe("zy-fgw-0f1e2d3c4b");
  });
});
