// The Dockerfile cannot be built where the tests run (no container engine), so what can drift
// silently is checked here: the Go version against the toolchain modules, the binaries it builds
// against the toolchain manifest, and the chart's processes, user and ports against the image.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BINARIES } from "../../toolchain/manifest.mjs";
import { allContainers, isWorkload, type Manifest, podTemplate, render, repoRoot, scenarios } from "./helm.js";

const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
const dockerignore = readFileSync(join(repoRoot, ".dockerignore"), "utf8")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"));

function arg(name: string): string {
  const match = dockerfile.match(new RegExp(`^ARG ${name}=(\\S+)$`, "m"));
  if (!match?.[1]) throw new Error(`Dockerfile has no ARG ${name}=…`);
  return match[1];
}

/** The instructions of one stage (from its FROM to the next). */
function stage(name: string): string {
  const parts = dockerfile.split(/^(?=FROM )/m);
  const found = parts.find((p) => new RegExp(`^FROM \\S+ AS ${name}$`, "m").test(p));
  if (!found) throw new Error(`Dockerfile has no stage ${name}`);
  return found;
}

const version = (v: string) => v.split(".").map(Number);
function atLeast(have: string, need: string): boolean {
  const [a, b] = [version(have), version(need)];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

describe("Dockerfile", () => {
  it("builds with a Go at least as new as every toolchain module asks for", () => {
    const toolchain = join(repoRoot, "infra", "toolchain");
    const modules = readdirSync(toolchain).filter((d) => existsSync(join(toolchain, d, "go.mod")));
    expect(modules).toEqual(expect.arrayContaining(["pulumi", "kubernetes-provider"]));
    for (const dir of modules) {
      const wanted = readFileSync(join(toolchain, dir, "go.mod"), "utf8").match(/^go (\S+)$/m)?.[1];
      expect(wanted, `${dir}/go.mod`).toBeDefined();
      expect(atLeast(arg("GO_VERSION"), wanted!), `GO_VERSION ${arg("GO_VERSION")} >= ${dir}'s go ${wanted}`).toBe(true);
    }
  });

  it("builds only pulumi and pulumi-resource-kubernetes, with the toolchain script", () => {
    const pulumi = stage("pulumi");
    const only = pulumi.match(/node infra\/toolchain\/ensure\.mjs --only (\S+);/)?.[1]?.split(",");
    expect(only).toEqual(["pulumi", "pulumi-resource-kubernetes"]);
    for (const name of only ?? []) expect(BINARIES).toContain(name);
    expect(pulumi).toContain('cp "$bin/pulumi" "$bin/pulumi-resource-kubernetes" /out/');
  });

  it("runs on node:20-bookworm-slim as uid and gid 10001, with tini as its entrypoint", () => {
    expect(arg("NODE_IMAGE")).toBe("node:20-bookworm-slim");
    const runtime = stage("runtime");
    expect(runtime).toMatch(/^USER 10001:10001$/m);
    expect(runtime).toMatch(/^ENTRYPOINT \["\/usr\/bin\/tini", "--"\]$/m);
    expect(runtime).toContain("--uid 10001 --gid 10001");
    // Last stage: what `docker build` produces without --target.
    expect(dockerfile.trimEnd().endsWith(runtime.trimEnd())).toBe(true);
  });

  it("keeps the toolchain modules in the build context and leaves generated and local files out", () => {
    for (const pattern of ["**/node_modules", ".git", "**/.data", "infra/toolchain/kubernetes-provider/*.embed"]) expect(dockerignore).toContain(pattern);
    for (const line of dockerignore) expect(line.startsWith("infra/toolchain") && !line.endsWith(".embed"), line).toBe(false);
  });
});

describe("the chart and the image agree", () => {
  let objects: Manifest[] = [];

  beforeAll(async () => {
    objects = await render({ valuesFiles: [scenarios().find((s) => s.name === "minimal")!.file] });
  });

  it("on the user and the ports", () => {
    const values = readFileSync(join(repoRoot, "charts", "zhengyun", "values.yaml"), "utf8");
    expect(values).toMatch(/^ {2}runAsUser: 10001$/m);
    const exposed =
      dockerfile
        .match(/^EXPOSE (.+)$/m)?.[1]
        ?.split(/\s+/)
        .map(Number) ?? [];
    const ports = objects.filter(isWorkload).flatMap((w) => allContainers(podTemplate(w).spec).flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)));
    expect(new Set(ports)).toEqual(new Set(exposed));
  });

  it("on the programs: every process the chart starts exists in the sources the image copies", () => {
    const programs = objects.filter(isWorkload).flatMap((w) => allContainers(podTemplate(w).spec).map((c) => c.args ?? []));
    expect(programs.length).toBeGreaterThanOrEqual(3);
    for (const args of programs) {
      expect(args.slice(0, 3)).toEqual(["node", "--import", "tsx"]);
      const entry = args[3]!;
      expect(existsSync(join(repoRoot, entry)), entry).toBe(true);
      expect(entry.endsWith(".test.ts"), entry).toBe(false);
    }
    // The portal serves the UI from portal/dist/ui, which the build stage produces.
    expect(stage("build")).toContain("test -f portal/dist/ui/index.html");
    expect(readFileSync(join(repoRoot, "portal", "vite.config.ts"), "utf8")).toContain('outDir: "dist/ui"');
  });
});
