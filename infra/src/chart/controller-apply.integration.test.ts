// The proof that the chart's ClusterRole is enough, not only in theory: the TenantSystem component
// (what the controller applies for each information system) run by the Pulumi engine and the
// Kubernetes provider with credentials of the controller's service account as the chart creates it —
// up, refresh and destroy of a level 3 system — with the scope guard in force.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation/index.js";
import { type CompiledTenant, compileTenant } from "@zhengyun/policies";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { clusterProvider } from "../components/provider.js";
import { TenantSystem } from "../components/tenant-system.js";
import { createOrSelectStack } from "../pulumi/stack.js";
import { type ControllerIdentity, installControllerIdentity, ok } from "./identity.js";
import { eventually, kubectl, uniqueId } from "./run.js";

const kubeconfig = inject("kubeconfig");
const id = uniqueId();
const system = `zy-chart-pl-${id}`;
const unmanaged = `zy-chart-pl-plain-${id}`;
const output: string[] = [];
const onOutput = (line: string) => output.push(line);

let controller: ControllerIdentity;
let stateDir: string;
let stack: Stack;

beforeAll(async () => {
  ok(await kubectl(kubeconfig, ["create", "namespace", unmanaged]), "unmanaged namespace");
  controller = await installControllerIdentity(kubeconfig, { release: `zhengyun-pl-${id}`, namespace: `zy-chart-pl-install-${id}`, probeNamespace: unmanaged });
  const tenant = compileTenant({
    system,
    department: "chart-test",
    level: 3,
    zone: "external",
    quota: { cpu: "4", memory: "8Gi", pods: 20, storage: { encrypted: "10Gi" } },
    egressAllowList: ["api.yangzhou.gov.cn:443"],
    now: new Date(),
  });
  stateDir = await mkdtemp(join(tmpdir(), "zhengyun-chart-pulumi-"));
  stack = await systemStack(`sys-${id}`, tenant);
}, 240_000);

/** A stack applying one system's TenantSystem with the controller's credentials. */
function systemStack(name: string, tenant: CompiledTenant): Promise<Stack> {
  const credentials = controller.kubeconfig();
  return createOrSelectStack({
    projectName: "zhengyun-chart-test",
    stackName: name,
    backendUrl: `file://${stateDir}`,
    passphrase: "chart-test",
    workDir: join(stateDir, "work", name),
    pulumiHome: join(stateDir, "home"),
    program: async () => {
      const provider = clusterProvider("cluster", credentials);
      const tenantSystem = new TenantSystem(
        "system",
        {
          namespace: tenant.namespace,
          policyObjects: tenant.objects,
          departmentCode: "chart-test",
          objectCounts: { "count/configmaps": "20", services: "10" },
          annotations: { "zhengyun.gov.cn/system-id": id },
          // The tenant roles of this installation, which the controller may bind.
          tenantRole: controller.objects.find((o) => o.kind === "ClusterRole" && o.metadata.name.endsWith(":tenant"))?.metadata.name,
        },
        { providers: [provider] },
      );
      return { namespace: tenantSystem.namespace };
    },
  });
}

afterAll(async () => {
  if (stack) {
    await stack.destroy({ onOutput }).catch(() => undefined);
    await stack.workspace.removeStack(stack.name).catch(() => undefined);
  }
  if (stateDir) await rm(stateDir, { recursive: true, force: true });
  await kubectl(kubeconfig, ["delete", "namespace", system, unmanaged, "--ignore-not-found", "--wait=false"]);
  await controller?.remove();
}, 240_000);

describe("the TenantSystem component, applied as the controller's service account", () => {
  it("creates a level 3 system: namespace, quotas, LimitRange, NetworkPolicies, ConfigMaps, RoleBinding to the tenant role", async () => {
    const result = await stack.up({ onOutput }).catch((err) => {
      throw new Error(`pulumi up as ${controller.user} failed: ${err}\n${output.join("")}`);
    });
    expect(result.summary.result).toBe("succeeded");
    expect(result.outputs.namespace?.value).toBe(system);
    const ns = await kubectl(kubeconfig, ["get", "namespace", system, "-o", "jsonpath={.metadata.labels}"]);
    expect(JSON.parse(ns.stdout)).toMatchObject({ "zhengyun.gov.cn/level": "3", "pod-security.kubernetes.io/enforce": "restricted" });
    const kinds = await kubectl(kubeconfig, ["get", "resourcequota,limitrange,networkpolicy,configmap,rolebinding", "-n", system, "-o", "name"]);
    for (const kind of ["resourcequota/", "limitrange/", "networkpolicy.networking.k8s.io/", "rolebinding.rbac.authorization.k8s.io/zhengyun-department"]) {
      expect(kinds.stdout).toContain(kind);
    }
  });

  it("cannot take over an existing namespace Zhengyun does not manage: the scope guard refuses the apply", async () => {
    const hijack = await systemStack(
      `hijack-${id}`,
      compileTenant({ system: unmanaged, department: "chart-test", level: 3, zone: "internal", quota: { cpu: "1", memory: "1Gi" }, now: new Date() }),
    );
    const lines: string[] = [];
    const failure = await hijack.up({ onOutput: (line) => lines.push(line) }).then(
      () => "succeeded",
      (err: unknown) => String(err),
    );
    expect(failure, lines.join("")).not.toBe("succeeded");
    expect(failure + lines.join("")).toContain("zhengyun controller scope");
    const labels = await kubectl(kubeconfig, ["get", "namespace", unmanaged, "-o", "jsonpath={.metadata.labels}"]);
    expect(labels.stdout).not.toContain("zhengyun.gov.cn/level");
    await hijack.destroy().catch(() => undefined);
    await hijack.workspace.removeStack(hijack.name).catch(() => undefined);
  });

  it("reads it all back (refresh) and reads quota usage", async () => {
    const refreshed = await stack.refresh({ onOutput });
    expect(refreshed.summary.result).toBe("succeeded");
    ok(await controller.kubectl(["get", "resourcequota", "-n", system, "-o", "jsonpath={.items[*].status.used}"]), "read quota usage");
  });

  it("releases it (destroy), and the namespace goes away", async () => {
    const destroyed = await stack.destroy({ onOutput });
    expect(destroyed.summary.result).toBe("succeeded");
    await eventually(
      `namespace ${system} to be deleted`,
      async () => {
        const r = await kubectl(kubeconfig, ["get", "namespace", system, "--ignore-not-found", "-o", "name"]);
        return r.code === 0 && r.stdout.trim() === "" ? true : undefined;
      },
      120_000,
    );
  });
});
