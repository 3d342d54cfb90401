import { describe, expect, it } from "vitest";
import { progressing, REASONS, ready, released, setCondition, stalled } from "./conditions.js";

const t0 = new Date("2026-03-01T08:00:00Z");
const t1 = new Date("2026-03-01T08:05:00Z");

describe("allocation conditions", () => {
  it("keeps lastTransitionTime while a condition's status does not change", () => {
    const a = setCondition([], { type: "Ready", status: "False", reason: "Applying", message: "" }, t0);
    const b = setCondition(a, { type: "Ready", status: "False", reason: "ApplyFailed", message: "boom" }, t1);
    expect(b[0]).toMatchObject({ reason: "ApplyFailed", lastTransitionTime: t0.toISOString() });
    const c = setCondition(b, { type: "Ready", status: "True", reason: "Reconciled", message: "" }, t1);
    expect(c[0]?.lastTransitionTime).toBe(t1.toISOString());
  });

  it("goes Reconciling → Ready, always carrying all three conditions", () => {
    const applying = progressing([], REASONS.applying, "applying generation 1", t0);
    expect(applying.phase).toBe("reconciling");
    expect(applying.conditions.map((c) => [c.type, c.status, c.reason])).toEqual([
      ["Ready", "False", "Applying"],
      ["Reconciling", "True", "Applying"],
      ["Stalled", "False", "NotStalled"],
    ]);
    const done = ready(applying.conditions, 1, t1);
    expect(done.phase).toBe("ready");
    expect(done.conditions.map((c) => [c.type, c.status])).toEqual([
      ["Ready", "True"],
      ["Reconciling", "False"],
      ["Stalled", "False"],
    ]);
  });

  it("stays Ready while healing drift, and says so while releasing", () => {
    const live = ready([], 3, t0).conditions;
    const healing = progressing(live, REASONS.healingDrift, "restoring", t1, true);
    expect(healing.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    expect(healing.conditions.find((c) => c.type === "Reconciling")?.reason).toBe("HealingDrift");
    expect(progressing(live, REASONS.releasing, "removing", t1).phase).toBe("releasing");
    expect(released(live, t1)).toMatchObject({ phase: "released" });
  });

  it("names the reason it is stalled and when it tries again", () => {
    const s = stalled([], REASONS.applyFailed, "API server unreachable", t1, t0);
    expect(s.phase).toBe("stalled");
    const cond = s.conditions.find((c) => c.type === "Stalled");
    expect(cond).toMatchObject({ status: "True", reason: "ApplyFailed" });
    expect(cond?.message).toContain(t1.toISOString());
  });
});
