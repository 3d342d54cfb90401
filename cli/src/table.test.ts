import { describe, expect, it } from "vitest";
import { exitCodeForStatus } from "./exit-codes.js";
import { locale } from "./i18n.js";
import { csv, table, width } from "./table.js";

describe("output helpers", () => {
  it("count CJK characters as two columns so tables line up", () => {
    expect(width("政云")).toBe(4);
    expect(table(["名称", "id"], [["政务服务", "a"]]).split("\n")).toEqual(["名称      id", "--------  --", "政务服务  a"]);
  });
  it("quote CSV cells that need it", () => {
    expect(csv(["a", "b"], [['x,"y"', null]])).toBe('a,b\r\n"x,""y""",\r\n');
  });
  it("pick English only when the locale says so", () => {
    expect(locale({ LANG: "en_US.UTF-8" })).toBe("en");
    expect(locale({ LANG: "zh_CN.UTF-8" })).toBe("zh");
    expect(locale({ LANG: "C", LC_ALL: "en_GB" })).toBe("en");
    expect(locale({})).toBe("zh");
  });
  it("map HTTP statuses to the documented exit codes", () => {
    expect([400, 401, 403, 404, 409, 422, 500].map(exitCodeForStatus)).toEqual([2, 3, 4, 4, 5, 5, 1]);
  });
});
