import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bundleState, newestMtime } from "./ui-bundle.js";

describe("bundleState", () => {
  it("is missing without a bundle, stale when a source is newer, fresh otherwise", () => {
    expect(bundleState(undefined, 0)).toBe("missing");
    expect(bundleState(undefined, 5)).toBe("missing");
    expect(bundleState(10, 11)).toBe("stale");
    expect(bundleState(10, 10)).toBe("fresh");
    expect(bundleState(10, 9)).toBe("fresh");
  });
});

describe("newestMtime", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "zy-ui-src-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const at = (file: string, seconds: number) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, "x");
    utimesSync(file, seconds, seconds);
  };

  it("takes the newest file in nested folders, ignoring tests, node_modules and absent paths", () => {
    at(path.join(dir, "a", "page.tsx"), 1000);
    at(path.join(dir, "a", "deep", "form.ts"), 2000);
    at(path.join(dir, "a", "deep", "form.test.ts"), 9000);
    at(path.join(dir, "a", "node_modules", "dep.js"), 9000);
    at(path.join(dir, "index.html"), 1500);
    const newest = newestMtime([path.join(dir, "a"), path.join(dir, "index.html"), path.join(dir, "absent")]);
    expect(newest).toBe(2000 * 1000);
    expect(newestMtime([path.join(dir, "absent")])).toBe(0);
  });
});
