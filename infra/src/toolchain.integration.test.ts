import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { binaries, missingTools, toolchainVersions } from "./toolchain.js";

const run = promisify(execFile);

/** The binaries built by infra/toolchain report the versions they were pinned to. */
describe("toolchain binaries", () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), "zhengyun-toolchain-"));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  it("are all built", () => {
    expect(missingTools()).toEqual([]);
  });

  it("report the pinned control plane versions", async () => {
    for (const tool of ["kube-apiserver", "kube-controller-manager", "kubelet", "kube-proxy", "kube-scheduler"] as const) {
      const { stdout } = await run(binaries[tool], ["--version"]);
      expect(stdout.trim()).toBe(`Kubernetes ${toolchainVersions.kubernetes}`);
    }
    const router = await run(binaries["kube-router"], ["--version"]);
    // kube-router prints its version on stderr.
    expect(`${router.stdout}${router.stderr}`).toContain(`version ${toolchainVersions.kubeRouter},`);
    const coredns = await run(binaries.coredns, ["-version"]);
    expect(coredns.stdout).toContain(`CoreDNS-${toolchainVersions.coredns.slice(1)}`);
    const etcd = await run(binaries.etcd, ["--version"]);
    expect(etcd.stdout).toContain(`etcd Version: ${toolchainVersions.etcd.slice(1)}`);
  });

  it("has a pulumi CLI that reports its version, and a provider that reports the pinned SDK's", async () => {
    const env = { ...process.env, PULUMI_HOME: join(scratch, "pulumi"), PULUMI_SKIP_UPDATE_CHECK: "true" };
    const { stdout } = await run(binaries.pulumi, ["version"], { env });
    expect(stdout.trim()).toBe(toolchainVersions.pulumi);

    const schema = await run(binaries.pulumi, ["package", "get-schema", binaries["pulumi-resource-kubernetes"]], {
      env,
      maxBuffer: 64 * 1024 * 1024,
    });
    const parsed = JSON.parse(schema.stdout) as { name: string; version: string };
    expect(parsed.name).toBe("kubernetes");
    expect(parsed.version).toBe(toolchainVersions.pulumiKubernetes);

    // The npm SDK asks the engine for the provider version it was released with.
    const sdkPackage = createRequire(import.meta.url).resolve("@pulumi/kubernetes/package.json");
    const sdk = JSON.parse(await readFile(sdkPackage, "utf8")) as { version: string };
    expect(sdk.version).toBe(toolchainVersions.pulumiKubernetes);
  }, 120_000);

  it("has a helm that renders and lints a chart", async () => {
    const env = { ...process.env, HELM_CACHE_HOME: scratch, HELM_CONFIG_HOME: scratch, HELM_DATA_HOME: scratch };
    const version = await run(binaries.helm, ["version", "--short"], { env });
    expect(version.stdout.trim()).toBe(toolchainVersions.helm);

    const chart = join(scratch, "demo");
    await run(binaries.helm, ["create", chart], { env });
    const lint = await run(binaries.helm, ["lint", chart], { env });
    expect(lint.stdout).toContain("0 chart(s) failed");
    const rendered = await run(binaries.helm, ["template", "demo", chart], { env });
    expect(rendered.stdout).toContain("kind: Deployment");
  }, 60_000);
});
