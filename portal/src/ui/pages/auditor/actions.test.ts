import { AUDIT_ACTIONS, AUDIT_TARGET_TYPES, REQUEST_STEP_ACTIONS } from "@zhengyun/db/audit/vocabulary";
import i18next from "i18next";
import { describe, expect, it } from "vitest";
import { en } from "../../i18n/en.js";
import { zh } from "../../i18n/zh.js";
import { actionLabel, targetLabel } from "./actions.js";

describe("audit vocabulary in words", () => {
  it("labels every action the platform records, in both languages, and no other", () => {
    expect(Object.keys(zh.auditAction).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(Object.keys(en.auditAction).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(Object.keys(zh.auditTarget).sort()).toEqual([...AUDIT_TARGET_TYPES].sort());
    expect(Object.keys(en.auditTarget).sort()).toEqual([...AUDIT_TARGET_TYPES].sort());
  });

  it("reads every action and target, workflow steps and older words included", async () => {
    const t = await i18next.createInstance().init({ lng: "zh", resources: { zh: { translation: zh }, en: { translation: en } } });
    for (const a of [...AUDIT_ACTIONS, ...REQUEST_STEP_ACTIONS]) expect(actionLabel(a, t), a).toBeTruthy();
    expect(actionLabel("system.drift_detected", t)).toBe("发现配置漂移");
    expect(targetLabel("information_system", t)).toBe("信息系统");
    expect(targetLabel("system", t)).toBe("信息系统");
  });
});
