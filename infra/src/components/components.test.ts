// Shape of the components under Pulumi's runtime mocks: which resources they declare, with what
// inputs, parents and dependencies. (What the cluster then does with them is tested end to end in
// controller/src/**/*.integration.test.ts.)

import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import type { KubeObject } from "./objects.js";

interface Created {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
}

const created: Created[] = [];
let components: typeof import("./index.js");

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        created.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "zhengyun-test",
    "mocks",
    false,
  );
  components = await import("./index.js");
});

const value = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));
const urnOf = (resource: pulumi.Resource) => value(resource.urn);
/**
 * Resolves once every registration the runtime has queued is done (children register after their
 * inputs resolve). This is the runtime's own drain that `pulumi.runtime.disconnect()` awaits; its
 * typings leave it out.
 */
const settle = (): Promise<void> => (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();

const ns = "zy-gtj-0123456789";
const policyObjects: KubeObject[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { "zhengyun.gov.cn/level": "3", "exempt.zhengyun.gov.cn/psa": "1900000000" } } },
  {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "zhengyun-resource-limits", namespace: ns },
    spec: { hard: { "limits.cpu": "8", "limits.memory": "16Gi" } },
  },
  {
    apiVersion: "v1",
    kind: "ResourceQuota",
    metadata: { name: "zhengyun-storage-class", namespace: ns },
    spec: { hard: { "encrypted.storageclass.storage.k8s.io/requests.storage": "200Gi" } },
  },
  { apiVersion: "v1", kind: "LimitRange", metadata: { name: "zhengyun-resource-limits", namespace: ns }, spec: { limits: [{ type: "Container" }] } },
  {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: "zhengyun-default-deny", namespace: ns },
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  },
];

describe("TenantSystem", () => {
  it("declares the namespace, the catalog's objects, object counts and the department's RoleBinding under one component", async () => {
    created.length = 0;
    const system = new components.TenantSystem("system", {
      namespace: ns,
      policyObjects,
      departmentCode: pulumi.output("GTJ"),
      objectCounts: { "count/configmaps": "50", services: "20" },
      annotations: { "zhengyun.gov.cn/segments": "10.64.3.0/26" },
    });
    expect(await value(system.namespace)).toBe(ns);
    await settle();
    expect(await urnOf(system)).toContain("zhengyun:platform:TenantSystem::system");

    const byName = new Map(created.map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(
      [
        `system/${ns}`,
        `system/${ns}/zhengyun-resource-limits`,
        `system/${ns}/zhengyun-storage-class`,
        `system/${ns}/zhengyun-default-deny`,
        `system/${ns}/zhengyun-object-counts`,
        `system/${ns}/zhengyun-department`,
        "system",
      ].sort(),
    );
    expect(byName.get(`system/${ns}`)?.type).toBe("kubernetes:core/v1:Namespace");
    const namespace = byName.get(`system/${ns}`)!.inputs as { metadata: { labels: Record<string, string>; annotations: Record<string, string> } };
    expect(namespace.metadata.labels["exempt.zhengyun.gov.cn/psa"]).toBe("1900000000");
    expect(namespace.metadata.annotations["zhengyun.gov.cn/segments"]).toBe("10.64.3.0/26");

    const binding = byName.get(`system/${ns}/zhengyun-department`)!;
    expect(binding.type).toBe("kubernetes:rbac.authorization.k8s.io/v1:RoleBinding");
    expect(binding.inputs).toMatchObject({
      metadata: { namespace: ns },
      roleRef: { kind: "ClusterRole", name: "zhengyun-tenant" },
      subjects: [{ kind: "Group", name: "zhengyun:dept:GTJ" }],
    });
    // Level 3: no exec binding, and the namespace is left out of the guard unless the platform enrols it.
    expect(byName.has(`system/${ns}/zhengyun-department-exec`)).toBe(false);
    expect(namespace.metadata.labels["zhengyun.gov.cn/tenant-guard"]).toBeUndefined();
    const counts = byName.get(`system/${ns}/zhengyun-object-counts`)!;
    expect(counts.inputs).toMatchObject({ spec: { hard: { "count/configmaps": "50", services: "20" } } });
    expect(byName.get(`system/${ns}/zhengyun-default-deny`)?.type).toBe("kubernetes:networking.k8s.io/v1:NetworkPolicy");
    expect(byName.get(`system/${ns}/zhengyun-resource-limits`)?.type).toBe("kubernetes:core/v1:ResourceQuota");
  });

  it("computes the same objects as the pure tenantObjects the controller compares the cluster with", () => {
    const objects = components.tenantObjects({ namespace: ns, policyObjects, departmentCode: "GTJ", objectCounts: { services: "20" }, annotations: {} });
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      `Namespace/${ns}`,
      "ResourceQuota/zhengyun-resource-limits",
      "ResourceQuota/zhengyun-storage-class",
      "LimitRange/zhengyun-resource-limits",
      "NetworkPolicy/zhengyun-default-deny",
      "ResourceQuota/zhengyun-object-counts",
      "RoleBinding/zhengyun-department",
    ]);
  });

  it("enrols the namespace in the tenant guard, and lets the department exec into its pods at levels 1–2 only", () => {
    const at = (level: string) => {
      const [first, ...rest] = policyObjects;
      const namespace = { ...first!, metadata: { ...first!.metadata, labels: { ...first!.metadata.labels, "zhengyun.gov.cn/level": level } } };
      return components.tenantObjects({
        namespace: ns,
        policyObjects: [namespace, ...rest],
        departmentCode: "GTJ",
        objectCounts: {},
        annotations: {},
        guarded: true,
      });
    };
    for (const level of ["1", "2", "3", "4"]) {
      const objects = at(level);
      expect(objects[0]?.metadata.labels?.["zhengyun.gov.cn/tenant-guard"]).toBe("enforced");
      const exec = objects.find((o) => o.metadata.name === "zhengyun-department-exec");
      if (level === "1" || level === "2") expect(exec).toMatchObject({ roleRef: { kind: "ClusterRole", name: "zhengyun-tenant-exec" } });
      else expect(exec).toBeUndefined();
    }
  });

  it("refuses objects outside the system's namespace", () => {
    const stray: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "kube-system" } };
    expect(
      () => new components.TenantSystem("bad", { namespace: ns, policyObjects: [...policyObjects, stray], departmentCode: "GTJ", objectCounts: {} }),
    ).toThrow(/outside namespace/);
    expect(
      () => new components.TenantSystem("bad2", { namespace: ns, policyObjects: policyObjects.slice(1), departmentCode: "GTJ", objectCounts: {} }),
    ).toThrow(/must be its Namespace/);
  });
});

describe("PlatformBaseline", () => {
  const catalog: KubeObject[] = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "zhengyun-system" } },
    { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "params-l3", namespace: "zhengyun-system" }, data: { classes: "encrypted" } },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: "zhengyun-storage-class" },
      spec: { validations: [] },
    },
    {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name: "zhengyun-storage-class-l3" },
      spec: { policyName: "zhengyun-storage-class" },
    },
  ];

  it("declares admission policies with bindings, the egress namespace, three storage classes and the controller's RBAC", async () => {
    created.length = 0;
    const baseline = new components.PlatformBaseline("baseline", {
      policyObjects: catalog,
      storage: { provisioner: "csi.example.gov.cn", parameters: { encrypted: { encrypted: "true" } } },
      controllerServiceAccount: { namespace: "zhengyun-system", name: "zhengyun-controller" },
    });
    await settle();
    expect(await urnOf(baseline)).toContain("zhengyun:platform:PlatformBaseline::baseline");
    expect(baseline.admissionPolicies).toEqual(["zhengyun-storage-class", "zhengyun-tenant-guard"]);
    const types = created.map((c) => `${c.type.split(":").pop()} ${c.name}`).sort();
    expect(types).toEqual(
      [
        "Namespace baseline/zhengyun-system",
        "Namespace baseline/zhengyun-egress",
        "ConfigMap baseline/zhengyun-system/params-l3",
        "ValidatingAdmissionPolicy baseline/zhengyun-storage-class",
        "ValidatingAdmissionPolicyBinding baseline/zhengyun-storage-class-l3",
        "StorageClass baseline/standard",
        "StorageClass baseline/ssd",
        "StorageClass baseline/encrypted",
        "ClusterRole baseline/zhengyun-controller",
        "ClusterRoleBinding baseline/zhengyun-controller",
        "ClusterRole baseline/zhengyun-tenant",
        "ClusterRole baseline/zhengyun-tenant-exec",
        "ValidatingAdmissionPolicy baseline/zhengyun-tenant-guard",
        "ValidatingAdmissionPolicyBinding baseline/zhengyun-tenant-guard-systems",
        "ValidatingAdmissionPolicyBinding baseline/zhengyun-tenant-guard-platform",
        "PlatformBaseline baseline",
      ].sort(),
    );
    const encrypted = created.find((c) => c.name === "baseline/encrypted")!;
    expect(encrypted.inputs).toMatchObject({ provisioner: "csi.example.gov.cn", parameters: { encrypted: "true" } });
    const binding = created.find((c) => c.name === "baseline/zhengyun-controller" && c.type.endsWith("ClusterRoleBinding"))!;
    expect(binding.inputs).toMatchObject({ subjects: [{ kind: "ServiceAccount", namespace: "zhengyun-system", name: "zhengyun-controller" }] });
    const guard = created.find((c) => c.name === "baseline/zhengyun-tenant-guard")!;
    expect(JSON.stringify(guard.inputs)).toContain("system:serviceaccount:zhengyun-system:zhengyun-controller");
  });

  it("leaves the tenant roles to whoever owns the controller's RBAC, but always holds the tenant guard, naming the controller", () => {
    const objects = components.baselineObjects({ policyObjects: catalog, provisioner: "p", controllerUser: "system:serviceaccount:zy:ctl" });
    const names = objects.map((o) => `${o.kind}/${o.metadata.name}`);
    expect(names.some((n) => n.startsWith("ClusterRole/"))).toBe(false);
    expect(names).toContain("ValidatingAdmissionPolicy/zhengyun-tenant-guard");
    const guard = objects.find((o) => o.metadata.name === "zhengyun-tenant-guard") as KubeObject & { spec: { matchConditions: { expression: string }[] } };
    expect(guard.spec.matchConditions[0]?.expression).toContain("'system:serviceaccount:zy:ctl'");
    expect(guard.spec.matchConditions[0]?.expression).toContain("'system:masters' in request.userInfo.groups");
  });

  it("orders creation: namespaces and roles, then what lives in them, then bindings", () => {
    const objects = components.baselineObjects({
      policyObjects: [...catalog].reverse(),
      provisioner: "p",
      controllerServiceAccount: { namespace: "zhengyun-system", name: "c" },
    });
    const rank = (kind: string) => objects.findIndex((o) => o.kind === kind);
    expect(rank("Namespace")).toBeLessThan(rank("ConfigMap"));
    expect(rank("ValidatingAdmissionPolicy")).toBeLessThan(rank("ValidatingAdmissionPolicyBinding"));
    expect(rank("ClusterRole")).toBeLessThan(rank("ClusterRoleBinding"));
  });
});
