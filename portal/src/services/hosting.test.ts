import { describe, expect, it } from "vitest";
import { maxHostedLevel } from "./hosting.js";

describe("maximum hosted level", () => {
  it("defaults to level 4 and reads ZHENGYUN_MAX_LEVEL", () => {
    expect(maxHostedLevel({})).toBe(4);
    expect(maxHostedLevel({ ZHENGYUN_MAX_LEVEL: "" })).toBe(4);
    expect(maxHostedLevel({ ZHENGYUN_MAX_LEVEL: "3" })).toBe(3);
  });

  it("refuses a value that is not a level", () => {
    expect(() => maxHostedLevel({ ZHENGYUN_MAX_LEVEL: "5" })).toThrow(/ZHENGYUN_MAX_LEVEL/);
    expect(() => maxHostedLevel({ ZHENGYUN_MAX_LEVEL: "three" })).toThrow(/1–4/);
  });
});
