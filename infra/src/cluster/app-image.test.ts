import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { debianMirror, dockerignorePathspecs, REPO_ROOT } from "./app-image.js";

describe("the image build's inputs", () => {
  it("takes the machine's bookworm mirror from deb822 or one-line sources, else Debian's", () => {
    const deb822 =
      "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\nComponents: main\n\nTypes: deb\nURIs: http://mirror.example/debian-security\nSuites: bookworm-security\n";
    expect(debianMirror([deb822])).toBe("http://mirror.example/debian");
    expect(debianMirror(["deb [arch=amd64] http://old.example/debian bookworm main\n"])).toBe("http://old.example/debian");
    expect(debianMirror(["Types: deb\nURIs: http://x/debian-security\nSuites: bookworm-security\n"])).toBe("http://deb.debian.org/debian");
  });

  it("hashes the build context as .dockerignore leaves it: no tests (nor the journeys), chart or CI files, but sources and the lockfile", () => {
    const specs = dockerignorePathspecs(readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8"));
    expect(specs).toContain(":(exclude,glob)**/*.test.ts");
    expect(specs).toContain(":(exclude,glob)charts/**");
    expect(() => dockerignorePathspecs("!keep-me\n")).toThrow(/exceptions/);
    const listed = spawnSync("git", ["ls-files", "--", ".", ...specs], { cwd: REPO_ROOT, encoding: "utf8" }).stdout.split("\n");
    expect(listed).toContain("package-lock.json");
    expect(listed).toContain("portal/src/server/main.ts");
    expect(listed).toContain("infra/toolchain/manifest.mjs");
    expect(listed.some((f) => f.endsWith(".test.ts"))).toBe(false);
    // The journeys' helpers are tests too: changing one does not rebuild the image.
    expect(listed.some((f) => f.startsWith("e2e/"))).toBe(false);
    // Nor does a change of the documentation.
    expect(listed.some((f) => f.endsWith(".md") || f.startsWith("docs/"))).toBe(false);
    expect(listed.some((f) => f.startsWith("charts/") || f.startsWith(".ci/") || f === "Dockerfile")).toBe(false);
  });
});
