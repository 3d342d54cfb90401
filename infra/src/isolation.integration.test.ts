// What a department can and cannot do in its systems' namespaces, asked of the real API server as a
// department user (impersonation: `--as <user> --as-group zhengyun:dept:<code>`), for a system of
// every level in both zones: the platform baseline (tenant roles, tenant guard, the catalog's
// admission policies) and each system's objects as the controller applies them. It may run its
// workloads; it may not touch its isolation (NetworkPolicies, Ingresses, RoleBindings, quotas,
// NodePort/LoadBalancer Services) nor any object labelled as the platform's — and when someone
// later widens its RBAC (here: the built-in `edit`), the guard still refuses.

import { compileBaseline, compileTenant, type KubeObject, type Level, type Zone } from "@zhengyun/policies";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { workload } from "@zhengyun/policies/fixtures/workloads";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { eventually, kubectl, type RunResult, uniqueId } from "./chart/run.js";
import { baselineObjects } from "./components/platform-baseline.js";
import { type TenantSpec, tenantObjects } from "./components/tenant-objects.js";

const kubeconfig = inject("kubeconfig");
const id = uniqueId();
const department = `iso${id}`;
const user = `alice-${id}`;
/** The controller's identity as the reconcile tests' baseline names it, so both apply the same guard. */
const controllerUser = "system:serviceaccount:zhengyun-system:zhengyun-controller";

const LEVELS: Level[] = [1, 2, 3, 4];
const ZONES: Zone[] = ["internal", "external"];
const systems = LEVELS.flatMap((level) => ZONES.map((zone) => ({ level, zone, namespace: `zy-iso-${id}-l${level}-${zone === "internal" ? "int" : "ext"}` })));

const admin = (args: string[], input?: string) => kubectl(kubeconfig, args, input);
const asDepartment = (args: string[], input?: string) => kubectl(kubeconfig, ["--as", user, "--as-group", `zhengyun:dept:${department}`, ...args], input);
const json = (o: unknown) => JSON.stringify(o);
const list = (items: readonly KubeObject[]) => json({ apiVersion: "v1", kind: "List", items });

function ok(result: RunResult, what: string): void {
  expect(result.code, `${what}: ${result.stderr}`).toBe(0);
}

/** What the API server answers, one line, for the table in the report. */
function answer(result: RunResult): string {
  if (result.code === 0) return "admitted";
  const lines = result.stderr
    .trim()
    .split("\n")
    .filter((line) => !line.startsWith("Warning:"));
  return (lines[0] ?? "").replace(/^Error from server \(\w+\): /, "").replace(/^error when creating "STDIN": /, "");
}

const answers = new Map<string, string>();
function refused(result: RunResult, what: string, pattern: RegExp): void {
  expect(result.code, `${what} should be refused, got: ${result.stdout}`).not.toBe(0);
  expect(result.stderr, what).toMatch(pattern);
  if (!answers.has(what)) answers.set(what, answer(result));
}

function admitted(result: RunResult, what: string): void {
  ok(result, what);
  if (!answers.has(what)) answers.set(what, "admitted");
}

const RBAC = /is forbidden: User ".*" cannot/;
const GUARD = /\[zhengyun:tenant-guard\]/;

const allowAll = (namespace: string) => ({
  apiVersion: "networking.k8s.io/v1",
  kind: "NetworkPolicy",
  metadata: { name: "allow-all", namespace },
  spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [{}], egress: [{}] },
});
const service = (namespace: string, type: string) => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: `svc-${type.toLowerCase()}`, namespace },
  spec: { type, selector: { app: "web" }, ports: [{ port: 80, targetPort: 8080 }] },
});

beforeAll(async () => {
  // Storage classes are not what this is about, and other tests on the cluster may hold them with another provisioner.
  const baseline = baselineObjects({
    policyObjects: compileBaseline(),
    provisioner: "kubernetes.io/no-provisioner",
    controllerServiceAccount: { namespace: "zhengyun-system", name: "zhengyun-controller" },
    controllerUser,
  }).filter((o) => o.kind !== "StorageClass");
  ok(await admin(["apply", "--server-side", "--force-conflicts", "--field-manager=zhengyun-isolation-test", "-f", "-"], list(baseline)), "apply the baseline");
  for (const s of systems) {
    const compiled = compileTenant({
      system: s.namespace,
      department,
      level: s.level,
      zone: s.zone,
      quota: { cpu: "4", memory: "8Gi", pods: 20 },
      now: new Date(),
    });
    const spec: TenantSpec = {
      namespace: s.namespace,
      policyObjects: compiled.objects,
      departmentCode: department,
      objectCounts: { "count/configmaps": "20", "count/secrets": "20", services: "10", "count/deployments.apps": "10" },
      annotations: {},
      guarded: true,
    };
    ok(await admin(["apply", "--server-side", "--field-manager=zhengyun-isolation-test", "-f", "-"], list(tenantObjects(spec))), `apply ${s.namespace}`);
  }
  // The authorizer and the admission plugin pick new objects up asynchronously.
  const last = systems[systems.length - 1]!.namespace;
  await eventually("the tenant role to take effect", async () =>
    (await asDepartment(["auth", "can-i", "create", "deployments", "-n", last])).stdout.trim() === "yes" ? true : undefined,
  );
  await eventually("the tenant guard to take effect", async () => {
    const r = await asDepartment(["label", "configmap", "zhengyun-egress-destinations", "-n", last, "x=y", "--dry-run=server"]);
    return r.code !== 0 && GUARD.test(r.stderr) ? true : undefined;
  });
}, 240_000);

afterAll(async () => {
  await admin(["delete", "namespace", ...systems.map((s) => s.namespace), "--ignore-not-found", "--wait=false"]);
  const rows = [...answers].map(([what, said]) => `| ${what} | ${said} |`);
  console.log(`\n| request (as a department user) | the API server's answer |\n|---|---|\n${rows.join("\n")}\n`);
});

describe.each(systems)("a department user in a level $level $zone-zone system", ({ level, namespace }) => {
  const dry = ["--dry-run=server"];

  it("cannot create, change or delete NetworkPolicies", async () => {
    refused(await asDepartment(["create", "-f", "-", ...dry], json(allowAll(namespace))), "NetworkPolicy create (allow-all)", RBAC);
    refused(
      await asDepartment([
        "patch",
        "networkpolicy",
        "zhengyun-default-deny",
        "-n",
        namespace,
        "--type=merge",
        "-p",
        '{"spec":{"podSelector":{"matchLabels":{"x":"y"}}}}',
        ...dry,
      ]),
      "NetworkPolicy patch (the platform's default deny)",
      RBAC,
    );
    refused(
      await asDepartment(["delete", "networkpolicy", "zhengyun-default-deny", "-n", namespace, ...dry]),
      "NetworkPolicy delete (the platform's default deny)",
      RBAC,
    );
  });

  it("cannot expose a Service on a node port or a load balancer", async () => {
    // Levels 1–2 allow them within an approved quota (none approved here); levels 3–4 never.
    const why = level <= 2 ? /exceeded quota: zhengyun-no-nodeport-lb/ : /\[zhengyun:no-nodeport-lb\]/;
    refused(await asDepartment(["create", "-f", "-", ...dry], json(service(namespace, "NodePort"))), `Service NodePort (level ${level})`, why);
    refused(await asDepartment(["create", "-f", "-", ...dry], json(service(namespace, "LoadBalancer"))), `Service LoadBalancer (level ${level})`, why);
  });

  it("cannot change its isolation or policy objects, nor anything labelled as the platform's", async () => {
    const ingress = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace },
      spec: {
        rules: [
          { host: "web.example.gov.cn", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } },
        ],
      },
    };
    refused(await asDepartment(["create", "-f", "-", ...dry], json(ingress)), "Ingress create", RBAC);
    refused(
      await asDepartment(["create", "rolebinding", "more", "--clusterrole=admin", `--group=zhengyun:dept:${department}`, "-n", namespace, ...dry]),
      "RoleBinding create",
      RBAC,
    );
    refused(await asDepartment(["create", "role", "more", "--verb=*", "--resource=networkpolicies", "-n", namespace, ...dry]), "Role create", RBAC);
    refused(await asDepartment(["create", "quota", "more", "--hard=cpu=100", "-n", namespace, ...dry]), "ResourceQuota create", RBAC);
    refused(
      await asDepartment([
        "patch",
        "resourcequota",
        "zhengyun-resource-limits",
        "-n",
        namespace,
        "--type=merge",
        "-p",
        '{"spec":{"hard":{"limits.cpu":"100"}}}',
        ...dry,
      ]),
      "ResourceQuota patch (the platform's)",
      RBAC,
    );
    refused(await asDepartment(["delete", "limitrange", "zhengyun-resource-limits", "-n", namespace, ...dry]), "LimitRange delete (the platform's)", RBAC);
    refused(
      await asDepartment(["delete", "rolebinding", "zhengyun-department", "-n", namespace, ...dry]),
      "RoleBinding delete (its own, the platform's)",
      RBAC,
    );
    refused(
      await asDepartment(["patch", "namespace", namespace, "--type=merge", "-p", '{"metadata":{"labels":{"zhengyun.gov.cn/level":"1"}}}', ...dry]),
      "namespace label edit (level)",
      RBAC,
    );
    // ConfigMaps are the department's to write, except the platform's: the guard refuses those.
    refused(
      await asDepartment(["patch", "configmap", "zhengyun-egress-destinations", "-n", namespace, "--type=merge", "-p", '{"data":{"mode":"any"}}', ...dry]),
      "platform-labelled ConfigMap patch (egress allow-list)",
      GUARD,
    );
    refused(
      await asDepartment(["delete", "configmap", "zhengyun-egress-destinations", "-n", namespace, ...dry]),
      "platform-labelled ConfigMap delete (egress allow-list)",
      GUARD,
    );
    const forged = {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "forged", namespace, labels: { "app.kubernetes.io/managed-by": "zhengyun-policies" } },
      data: {},
    };
    refused(await asDepartment(["create", "-f", "-", ...dry], json(forged)), "ConfigMap create with the platform's label", GUARD);
  });

  it("runs ordinary workloads that meet its level", async () => {
    const deployment = { ...workload("Deployment", "web", compliantPodSpec(level)), metadata: { name: "web", namespace } };
    admitted(await asDepartment(["create", "-f", "-", ...dry], json(deployment)), "Deployment meeting the level");
    const job = { ...workload("CronJob", "nightly", compliantPodSpec(level)), metadata: { name: "nightly", namespace } };
    admitted(await asDepartment(["create", "-f", "-", ...dry], json(job)), "CronJob meeting the level");
    admitted(await asDepartment(["create", "-f", "-", ...dry], json(service(namespace, "ClusterIP"))), "Service ClusterIP");
    admitted(await asDepartment(["create", "configmap", "settings", "--from-literal=a=b", "-n", namespace, ...dry]), "ConfigMap of its own");
    admitted(await asDepartment(["create", "secret", "generic", "db", "--from-literal=password=x", "-n", namespace, ...dry]), "Secret of its own");
    const can = async (verb: string, resource: string, subresource?: string) =>
      (await asDepartment(["auth", "can-i", verb, resource, "-n", namespace, ...(subresource ? [`--subresource=${subresource}`] : [])])).stdout.trim();
    expect(await can("create", "persistentvolumeclaims")).toBe("yes");
    expect(await can("create", "horizontalpodautoscalers.autoscaling")).toBe("yes");
    expect(await can("get", "pods", "log")).toBe("yes");
    expect(await can("create", "pods", "exec")).toBe(level <= 2 ? "yes" : "no");
    expect(await can("create", "pods", "portforward")).toBe(level <= 2 ? "yes" : "no");
    expect(await can("create", "daemonsets.apps")).toBe("no");
  });

  it("cannot run a privileged workload", async () => {
    const spec = compliantPodSpec(level);
    const { allowPrivilegeEscalation: _invalid, ...securityContext } = spec.containers[0]!.securityContext ?? {};
    spec.containers[0]!.securityContext = { ...securityContext, privileged: true };
    const deployment = { ...workload("Deployment", "root", spec), metadata: { name: "root", namespace } };
    refused(await asDepartment(["create", "-f", "-", ...dry], json(deployment)), `privileged Deployment (level ${level})`, /privileged/);
  });
});

describe("after someone widens a department's RBAC (the built-in edit role bound by hand)", () => {
  const { namespace } = systems.find((s) => s.level === 4 && s.zone === "internal")!;

  beforeAll(async () => {
    ok(await admin(["create", "rolebinding", "widened", "--clusterrole=edit", `--group=zhengyun:dept:${department}`, "-n", namespace]), "bind edit by hand");
    await eventually("edit to take effect", async () =>
      (await asDepartment(["auth", "can-i", "create", "networkpolicies", "-n", namespace])).stdout.trim() === "yes" ? true : undefined,
    );
  });

  it("the tenant guard still refuses NetworkPolicies, Ingresses and the platform's objects", async () => {
    refused(await asDepartment(["create", "-f", "-", "--dry-run=server"], json(allowAll(namespace))), "NetworkPolicy create with edit bound by hand", GUARD);
    refused(
      await asDepartment(["delete", "networkpolicy", "zhengyun-default-deny", "-n", namespace, "--dry-run=server"]),
      "NetworkPolicy delete with edit bound by hand",
      GUARD,
    );
    refused(
      await asDepartment([
        "patch",
        "configmap",
        "zhengyun-egress-destinations",
        "-n",
        namespace,
        "--type=merge",
        "-p",
        '{"data":{"mode":"any"}}',
        "--dry-run=server",
      ]),
      "egress allow-list patch with edit bound by hand",
      GUARD,
    );
    const ingress = {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: { name: "web", namespace },
      spec: { defaultBackend: { service: { name: "web", port: { number: 80 } } } },
    };
    refused(await asDepartment(["create", "-f", "-", "--dry-run=server"], json(ingress)), "Ingress create with edit bound by hand", GUARD);
  });

  it("while a cluster administrator still can (the platform's drift check then finds it)", async () => {
    ok(await admin(["create", "-f", "-", "--dry-run=server"], json(allowAll(namespace))), "cluster-admin creates a NetworkPolicy");
  });
});
