import { APP_ERROR_CODES } from "@zhengyun/db/errors";
import { REQUEST_STATES, RESOURCES, ROLES } from "@zhengyun/db/schema/enums";
import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { zh } from "./zh.js";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): [string, string][] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [[`${prefix}${k}`, v] as [string, string]] : leaves(v, `${prefix}${k}.`)));
}
const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("translations", () => {
  const zhLeaves = new Map(leaves(zh));
  const enLeaves = new Map(leaves(en));

  it("say the same things in both languages, with the same placeholders", () => {
    expect([...enLeaves.keys()].sort()).toEqual([...zhLeaves.keys()].sort());
    for (const [key, text] of zhLeaves) expect(placeholders(enLeaves.get(key) ?? ""), key).toEqual(placeholders(text));
  });

  it("leave no Chinese string empty", () => {
    for (const [key, text] of zhLeaves) expect(text.trim(), key).not.toBe("");
  });

  it("cover every state, role, resource and error code the server has", () => {
    for (const s of REQUEST_STATES) expect(zh.state[s], s).toBeTruthy();
    for (const s of REQUEST_STATES) expect(zh.event[s], s).toBeTruthy();
    for (const r of ROLES) expect(zh.role[r], r).toBeTruthy();
    for (const r of RESOURCES) expect(zh.resource[r], r).toBeTruthy();
    for (const c of APP_ERROR_CODES) expect(zh.error.code[c], c).toBeTruthy();
  });
});
