import { describe, expect, it } from "vitest";
import { progressOf, stepLabel } from "./workflow.js";

describe("a request's progress steps", () => {
  it("adds the security step for level 3 and above", () => {
    expect(progressOf("submitted", 2, "new", null).steps).toEqual(["submit", "dept", "ops", "provision", "active"]);
    expect(progressOf("submitted", 3, "new", null).steps).toEqual(["submit", "dept", "ops", "security", "provision", "active"]);
    expect(progressOf("submitted", 4, "release", null).steps).toContain("security");
    expect(progressOf("submitted", 2, "release", null).steps).not.toContain("security");
  });

  it("points at the stage the request waits for", () => {
    expect(progressOf("dept_approved", 3, "new", null)).toMatchObject({ current: 2, status: "process" });
    expect(progressOf("ops_approved", 3, "new", null)).toMatchObject({ current: 3, status: "process" });
    expect(progressOf("provisioning", 3, "new", null)).toMatchObject({ current: 4, status: "process" });
    expect(progressOf("active", 2, "new", null)).toMatchObject({ current: 4, status: "finish" });
  });

  it("stops in error where a rejection or failure happened", () => {
    expect(progressOf("rejected", 3, "new", "dept_approved")).toMatchObject({ current: 2, status: "error" });
    expect(progressOf("withdrawn", 2, "new", "submitted")).toMatchObject({ current: 1, status: "error" });
    expect(progressOf("failed", 2, "new", "provisioning")).toMatchObject({ current: 3, status: "error" });
  });
});

describe("a request of an ungraded system", () => {
  it("waits at the grading step after ops approval, before any security approval", () => {
    expect(progressOf("ops_approved", 2, "new", null, false)).toMatchObject({ steps: ["submit", "dept", "ops", "grading", "provision", "active"], current: 3 });
    expect(progressOf("ops_approved", 3, "new", null, false)).toMatchObject({
      steps: ["submit", "dept", "ops", "grading", "security", "provision", "active"],
      current: 3,
    });
    expect(progressOf("submitted", 1, "new", null, false)).toMatchObject({ current: 1 });
  });
});

describe("a release's progress steps", () => {
  it("goes through the department, ops and (level 3+) the security officer, then is carried out and done", () => {
    expect(progressOf("provisioning", 2, "release", "dept_approved")).toMatchObject({ steps: ["submit", "dept", "ops", "provision", "active"], current: 3 });
    const progress = progressOf("provisioning", 3, "release", "ops_approved");
    expect(progress).toMatchObject({ steps: ["submit", "dept", "ops", "security", "provision", "active"], current: 4, status: "process" });
    expect(progress.steps.map((s) => stepLabel(s, "release"))).toEqual([
      "requests.stepsSubmit",
      "requests.stepsDept",
      "requests.stepsOps",
      "requests.stepsSecurity",
      "releaseWords.step.provision",
      "releaseWords.step.active",
    ]);
    expect(stepLabel("provision", "new")).toBe("requests.stepsProvision");
  });
});
