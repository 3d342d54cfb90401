// The controller's ClusterRole and binding, as the chart renders them, applied to the cluster; then
// requests made as the controller's service account (impersonation). It can create, patch and delete
// everything it reconciles, bind the department's group to the tenant roles, and read quota status; it cannot
// read Secrets, grant itself or anyone more (cluster-admin, admin), touch nodes or workloads, and —
// through the chart's scope guard — cannot write in, or take over, a namespace Zhengyun does not manage.
// With the egress gateway in the cluster, it writes the gateway's own objects in zhengyun-egress only.

import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { render, scenarios } from "./helm.js";
import { type ControllerIdentity, installControllerIdentity, ok } from "./identity.js";
import { eventually, kubectl, type RunResult, uniqueId } from "./run.js";

const kubeconfig = inject("kubeconfig");
const id = uniqueId();
// Contains the chart name, so object names are `<release>-…` (see zhengyun.fullname).
const release = `zhengyun-rbac-${id}`;
const installNamespace = `zy-rbac-${id}`;
const managed = `zy-rbac-sys-${id}`;
const unmanaged = `zy-rbac-plain-${id}`;
/** A system's namespace made by the administrator, where the scope guard lets the controller write. */
const prepared = `zy-rbac-sys2-${id}`;
const policyName = `zy-rbac-${id}-probe`;
const platformNamespace = `zy-rbac-platform-${id}`;
const egressNamespace = "zhengyun-egress";

/** kubectl as the administrator. */
const admin = (args: string[], input?: string) => kubectl(kubeconfig, args, input);
let controller: ControllerIdentity;
/** kubectl as the controller's service account. */
const asController = (args: string[], input?: string) => controller.kubectl(args, input);

const json = (object: unknown) => JSON.stringify(object);

function forbidden(result: RunResult, what: string): void {
  expect(result.code, `${what} should be refused, got: ${result.stdout}`).not.toBe(0);
  expect(result.stderr, what).toMatch(/forbidden|Forbidden/);
}

beforeAll(async () => {
  ok(await admin(["create", "namespace", unmanaged]), "unmanaged namespace");
  ok(await admin(["create", "namespace", prepared]), "prepared system namespace");
  ok(await admin(["label", "namespace", prepared, `zhengyun.gov.cn/system=${prepared}`]), "label the prepared namespace");
  controller = await installControllerIdentity(kubeconfig, {
    release,
    namespace: installNamespace,
    probeNamespace: unmanaged,
    // The real platform namespaces may exist on this shared cluster; add one that never does.
    set: { "controller.rbac.scopeGuard.platformNamespaces": `{zhengyun-system,zhengyun-egress,${platformNamespace}}` },
  });
  expect(controller.objects.map((o) => o.kind).sort()).toEqual([
    "ClusterRole",
    "ClusterRole",
    "ClusterRole",
    "ClusterRoleBinding",
    "ServiceAccount",
    "ServiceAccount",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
  ]);
}, 180_000);

afterAll(async () => {
  await controller?.remove();
  await admin(["delete", "validatingadmissionpolicybinding,validatingadmissionpolicy", policyName, "--ignore-not-found", "--wait=false"]);
  await admin(["delete", "storageclass", policyName, "--ignore-not-found", "--wait=false"]);
  await admin(["delete", "namespace", unmanaged, managed, prepared, "--ignore-not-found", "--wait=false"]);
});

describe("the controller's service account", () => {
  it("creates, patches and deletes what it reconciles in a system's namespace", async () => {
    const ns = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: managed, labels: { "zhengyun.gov.cn/system": managed, "zhengyun.gov.cn/level": "3" } },
    };
    ok(await asController(["create", "-f", "-"], json(ns)), "create the system's namespace");
    const objects = [
      {
        apiVersion: "v1",
        kind: "ResourceQuota",
        metadata: { name: "compute", namespace: managed },
        spec: { hard: { "limits.cpu": "2", "limits.memory": "4Gi" } },
      },
      {
        apiVersion: "v1",
        kind: "LimitRange",
        metadata: { name: "defaults", namespace: managed },
        spec: { limits: [{ type: "Container", defaultRequest: { cpu: "100m", memory: "128Mi" } }] },
      },
      {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: "default-deny", namespace: managed },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
      },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "egress-destinations", namespace: managed }, data: { mode: "none" } },
      {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "department", namespace: managed },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: `${release}:tenant` },
        subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: `zhengyun:dept:${id}` }],
      },
    ];
    for (const object of objects) {
      ok(await asController(["create", "-f", "-"], json(object)), `create ${object.kind}`);
      ok(await asController(["label", object.kind, object.metadata.name, "-n", managed, "zhengyun.gov.cn/checked=yes"]), `patch ${object.kind}`);
    }
    ok(await asController(["get", "resourcequota", "compute", "-n", managed, "--subresource=status", "-o", "name"]), "read quota status");
    for (const object of [...objects].reverse()) {
      ok(await asController(["delete", object.kind, object.metadata.name, "-n", managed]), `delete ${object.kind}`);
    }
    ok(await asController(["label", "namespace", managed, "zhengyun.gov.cn/checked=yes"]), "patch the namespace");
    ok(await asController(["delete", "namespace", managed, "--wait=false"]), "delete the namespace");
  });

  it("creates, patches and deletes admission policies, their bindings and storage classes", async () => {
    const policy = {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicy",
      metadata: { name: policyName },
      spec: {
        failurePolicy: "Fail",
        matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }] },
        validations: [{ expression: "true" }],
      },
    };
    // Selects no namespace that exists: harmless to everything else on the cluster.
    const binding = {
      apiVersion: "admissionregistration.k8s.io/v1",
      kind: "ValidatingAdmissionPolicyBinding",
      metadata: { name: policyName },
      spec: { policyName, validationActions: ["Deny"], matchResources: { namespaceSelector: { matchLabels: { "zhengyun.gov.cn/chart-test": policyName } } } },
    };
    const storageClass = {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: policyName },
      provisioner: "kubernetes.io/no-provisioner",
      volumeBindingMode: "WaitForFirstConsumer",
    };
    for (const object of [policy, binding, storageClass]) {
      ok(await asController(["create", "-f", "-"], json(object)), `create ${object.kind}`);
      ok(await asController(["label", object.kind, policyName, "zhengyun.gov.cn/checked=yes"]), `patch ${object.kind}`);
    }
    for (const object of [storageClass, binding, policy]) ok(await asController(["delete", object.kind, policyName]), `delete ${object.kind}`);
  });

  it("cannot read Secrets anywhere", async () => {
    forbidden(await asController(["get", "secrets", "-n", "kube-system"]), "list Secrets in kube-system");
    forbidden(await asController(["get", "secrets", "-A"]), "list Secrets in all namespaces");
    forbidden(await asController(["get", "secrets", "-n", installNamespace]), "list Secrets in its own namespace");
    forbidden(await asController(["create", "token", `${release}-portal`, "-n", installNamespace]), "mint a token for another account");
  });

  it("cannot grant itself or anyone more than it holds", async () => {
    const crb = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: `${release}-escalate` },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" },
      subjects: [{ kind: "ServiceAccount", name: `${release}-controller`, namespace: installNamespace }],
    };
    const bindAdmin = await asController(["create", "-f", "-", "--dry-run=server"], json(crb));
    forbidden(bindAdmin, "bind cluster-admin cluster-wide");
    expect(bindAdmin.stderr).toContain('cannot create resource "clusterrolebindings"');
    // In a namespace the controller manages, so that the refusal is RBAC's escalation check, not the scope guard.
    for (const role of ["cluster-admin", "admin", "edit", "view"]) {
      const rb = {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: `escalate-${role}`, namespace: prepared },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: role },
        subjects: [{ kind: "Group", apiGroup: "rbac.authorization.k8s.io", name: "zhengyun:dept:any" }],
      };
      const result = await asController(["create", "-f", "-", "--dry-run=server"], json(rb));
      forbidden(result, `bind ${role} in a system's namespace`);
      expect(result.stderr).toContain("attempting to grant RBAC permissions not currently held");
    }
    for (const role of [`${release}:tenant`, `${release}:tenant-exec`]) {
      ok(
        await asController(["create", "rolebinding", "department", `--clusterrole=${role}`, "--group=zhengyun:dept:any", "-n", prepared, "--dry-run=server"]),
        `bind ${role} in the same namespace`,
      );
    }
    const bindEdit = await asController([
      "create",
      "rolebinding",
      "department-edit",
      "--clusterrole=edit",
      "--group=zhengyun:dept:any",
      "-n",
      prepared,
      "--dry-run=server",
    ]);
    forbidden(bindEdit, "bind the built-in edit role");
    expect(bindEdit.stderr).toContain("attempting to grant RBAC permissions not currently held");
    forbidden(await asController(["create", "clusterrole", `${release}-more`, "--verb=get", "--resource=secrets", "--dry-run=server"]), "create a ClusterRole");
    forbidden(
      await asController(["patch", "clusterrole", "edit", "--type=merge", "-p", '{"metadata":{"labels":{"x":"y"}}}', "--dry-run=server"]),
      "change ClusterRole edit",
    );
    forbidden(await asController(["delete", "clusterrolebinding", `${release}:controller`, "--dry-run=server"]), "remove its own binding");
  });

  it("cannot touch nodes or run workloads", async () => {
    forbidden(await asController(["delete", "nodes", "--all", "--dry-run=server"]), "delete nodes");
    forbidden(await asController(["get", "nodes"]), "list nodes");
    forbidden(
      await asController(["create", "deployment", "x", "--image=registry.zhengyun.gov.cn/x:1", "-n", unmanaged, "--dry-run=server"]),
      "create a Deployment",
    );
    forbidden(await asController(["run", "x", "--image=registry.zhengyun.gov.cn/x:1", "-n", unmanaged, "--dry-run=server"]), "create a Pod");
    forbidden(await asController(["get", "pods", "-n", "kube-system"]), "list pods");
  });

  it("cannot write in, or take over, a namespace Zhengyun does not manage (scope guard)", async () => {
    // Each of these is allowed by the ClusterRole: the refusal is the guard's.
    const refusals: [string, string[], string?][] = [
      ["a ConfigMap in an unmanaged namespace", ["create", "configmap", "x", "-n", unmanaged, "--dry-run=server"]],
      [
        "a NetworkPolicy in kube-system",
        ["create", "-f", "-", "--dry-run=server"],
        json({ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny", namespace: "kube-system" }, spec: { podSelector: {} } }),
      ],
      [
        "a RoleBinding to the tenant role in default",
        ["create", "rolebinding", "x", `--clusterrole=${release}:tenant`, "--group=zhengyun:dept:any", "-n", "default", "--dry-run=server"],
      ],
      ["labelling kube-system as a system's namespace", ["label", "namespace", "kube-system", "zhengyun.gov.cn/system=kube-system", "--dry-run=server"]],
      ["deleting an unmanaged namespace", ["delete", "namespace", unmanaged, "--dry-run=server"]],
      ["creating an unlabelled namespace", ["create", "namespace", `zy-rbac-unlabelled-${id}`, "--dry-run=server"]],
    ];
    for (const [what, args, input] of refusals) {
      const result = await asController(args, input);
      expect(result.code, `${what} should be refused: ${result.stdout}`).not.toBe(0);
      expect(result.stderr, what).toContain("zhengyun controller scope");
    }
    // Platform namespaces are managed by name, without the system label.
    ok(await asController(["create", "namespace", platformNamespace, "--dry-run=server"]), "create a platform namespace");
  });

  it("with egress.mode=cluster, writes the gateway's Deployment, Service and Secret in zhengyun-egress and nowhere else", async () => {
    const rendered = await render({
      release,
      namespace: installNamespace,
      valuesFiles: [scenarios().find((x) => x.name === "minimal")!.file],
      set: { "egress.mode": "cluster" },
    });
    const grants = rendered.filter((o) => o.kind === "Role" || o.kind === "RoleBinding");
    expect(grants.map((o) => `${o.kind} ${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      `Role ${egressNamespace}/${release}:egress-gateway`,
      `RoleBinding ${egressNamespace}/${release}:egress-gateway`,
    ]);
    // The namespace as the platform baseline (or the chart, at install) leaves it; it is shared here.
    const created = await admin(["create", "namespace", egressNamespace]);
    if (created.code !== 0) expect(created.stderr).toContain("AlreadyExists");
    ok(
      await admin(["apply", "--server-side", "--field-manager=zhengyun-chart-test", "-f", "-"], json({ apiVersion: "v1", kind: "List", items: grants })),
      "apply the egress grants",
    );
    try {
      await eventually("the egress Role to take effect", async () => {
        const r = await asController(["auth", "can-i", "create", "secrets", "-n", egressNamespace]);
        if (r.stdout.trim() === "yes") return true;
        throw new Error(`can-i: ${r.stdout.trim()} ${r.stderr.trim()}`);
      });
      const image = "--image=registry.zhengyun.gov.cn/platform/egress-gateway:1";
      ok(
        await asController(["create", "deployment", "zhengyun-egress-gateway", image, "-n", egressNamespace, "--dry-run=server"]),
        "create the gateway Deployment",
      );
      ok(
        await asController([
          "create",
          "secret",
          "generic",
          "zhengyun-egress-gateway-config",
          "--from-literal=squid.conf=x",
          "-n",
          egressNamespace,
          "--dry-run=server",
        ]),
        "create the gateway's configuration Secret",
      );
      ok(
        await asController(["create", "service", "clusterip", "zhengyun-egress", "--tcp=3128:3128", "-n", egressNamespace, "--dry-run=server"]),
        "create the gateway Service",
      );
      ok(await asController(["get", "pods", "-n", egressNamespace]), "list the gateway's pods");
      // Only there, and only those kinds.
      forbidden(await asController(["create", "deployment", "x", image, "-n", prepared, "--dry-run=server"]), "create a Deployment in a system's namespace");
      forbidden(await asController(["get", "secrets", "-n", prepared]), "list Secrets in a system's namespace");
      forbidden(await asController(["get", "secrets", "-n", "kube-system"]), "list Secrets in kube-system");
      forbidden(await asController(["delete", "pod", "zhengyun-egress-gateway-0", "-n", egressNamespace, "--dry-run=server"]), "delete the gateway's pods");
      forbidden(await asController(["create", "serviceaccount", "x", "-n", egressNamespace, "--dry-run=server"]), "create a ServiceAccount there");
    } finally {
      await admin(["delete", "role,rolebinding", `${release}:egress-gateway`, "-n", egressNamespace, "--ignore-not-found"]);
    }
  });
});
