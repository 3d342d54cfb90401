import { describe, expect, it } from "vitest";
import { isOpen, needsSecurityApproval, pendingStage, stateAfterApproval } from "./workflow.js";

describe("workflow", () => {
  it("routes every level 3+ request through the security officer, releases included", () => {
    expect(stateAfterApproval("ops", 2, "new")).toBe("provisioning");
    expect(stateAfterApproval("ops", 3, "new")).toBe("ops_approved");
    expect(stateAfterApproval("ops", 4, "change")).toBe("ops_approved");
    expect(stateAfterApproval("ops", 4, "release")).toBe("ops_approved");
    expect(stateAfterApproval("ops", 2, "release")).toBe("provisioning");
    expect(stateAfterApproval("security", 3, "new")).toBe("provisioning");
    expect(needsSecurityApproval(1, "new")).toBe(false);
  });

  it("knows which stage waits and which states are open", () => {
    expect(pendingStage("submitted")).toBe("dept");
    expect(pendingStage("dept_approved")).toBe("ops");
    expect(pendingStage("ops_approved")).toBe("security");
    expect(pendingStage("active")).toBeNull();
    expect(isOpen("draft")).toBe(true);
    expect(isOpen("provisioning")).toBe(false);
  });
});
