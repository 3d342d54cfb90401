import { describe, expect, it } from "vitest";
import { gradingHold, isOpen, levelRefusal, needsSecurityApproval, pendingStage, stateAfterApproval, stateAfterGrading } from "./workflow.js";

const graded = (level: number) => ({ level, graded: true });
const ungraded = (level: number) => ({ level, graded: false });

describe("workflow", () => {
  it("routes every level 3+ request through the security officer, releases included", () => {
    expect(stateAfterApproval("ops", graded(2), "new")).toBe("provisioning");
    expect(stateAfterApproval("ops", graded(3), "new")).toBe("ops_approved");
    expect(stateAfterApproval("ops", graded(4), "change")).toBe("ops_approved");
    expect(stateAfterApproval("ops", graded(4), "release")).toBe("ops_approved");
    expect(stateAfterApproval("ops", graded(2), "release")).toBe("provisioning");
    expect(stateAfterApproval("security", graded(3), "new")).toBe("provisioning");
    expect(needsSecurityApproval(1, "new")).toBe(false);
  });

  it("holds every request of an ungraded system before provisioning, whatever level was proposed", () => {
    for (const level of [1, 2, 3, 4]) expect(stateAfterApproval("ops", ungraded(level), "new")).toBe("ops_approved");
    expect(stateAfterApproval("dept", ungraded(1), "new")).toBe("dept_approved");
    expect(gradingHold(ungraded(1))).toMatch(/定级/);
    expect(gradingHold(graded(1))).toBeNull();
  });

  it("lets grading continue a waiting request to provisioning only where no security approval is due", () => {
    expect(stateAfterGrading(1, "new")).toBe("provisioning");
    expect(stateAfterGrading(2, "change")).toBe("provisioning");
    expect(stateAfterGrading(3, "new")).toBe("ops_approved");
    expect(stateAfterGrading(4, "release")).toBe("ops_approved");
  });

  it("refuses levels above the platform's maximum hosted level", () => {
    expect(levelRefusal(4, 3)).toMatch(/up to level 3/);
    expect(levelRefusal(3, 3)).toBeNull();
    expect(levelRefusal(1, 4)).toBeNull();
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
