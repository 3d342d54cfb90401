// The chart renders and lints for every CI scenario, and what it renders is hardened: every
// container limited and locked down, only the controller holding an API token, every pod behind a
// NetworkPolicy and a disruption budget, and a controller ClusterRole with nothing it does not reconcile.

import { beforeAll, describe, expect, inject, it } from "vitest";
import { controllerClusterRole, TENANT_EXEC_ROLE, TENANT_ROLE, tenantClusterRole, tenantExecClusterRole } from "../components/platform-objects.js";
import { allContainers, dryRunInstall, find, isHook, isWorkload, lint, type Manifest, type PodTemplate, podTemplate, render, scenarios } from "./helm.js";

const DIGEST = /@sha256:[0-9a-f]{64}$/;

interface LabelSelector {
  matchLabels?: Record<string, string>;
}

function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  const wanted = selector?.matchLabels ?? {};
  return Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
}

describe.each(scenarios())("scenario $name", ({ name, file }) => {
  let objects: Manifest[] = [];

  beforeAll(async () => {
    objects = await render({ valuesFiles: [file] });
  });

  it("passes helm lint --strict", async () => {
    const result = await lint({ valuesFiles: [file] });
    expect(result.stderr + result.stdout).toContain("0 chart(s) failed");
    expect(result.code).toBe(0);
  });

  it("renders with helm template", () => {
    const kinds = new Set(objects.map((o) => o.kind));
    for (const kind of ["Deployment", "Service", "ServiceAccount", "ClusterRole", "ClusterRoleBinding"]) expect(kinds).toContain(kind);
    expect(objects.filter((o) => o.kind === "Deployment").map((o) => o.metadata.name)).toEqual(
      expect.arrayContaining(["zhengyun-portal", "zhengyun-controller"]),
    );
  });

  it("prints release notes that say how to reach the portal", async () => {
    const result = await dryRunInstall(inject("kubeconfig"), { namespace: `zy-chart-notes-${name}`, valuesFiles: [file] });
    expect(result.code, result.stderr).toBe(0);
    const notes = result.stdout.slice(result.stdout.indexOf("NOTES:"));
    expect(notes).toContain("Zhengyun 0.1.0 is installed");
    expect(notes).toMatch(/https?:\/\/|port-forward svc\/zhengyun-portal/);
    expect(notes).not.toContain("<no value>");
    // The notes repeat the chart's objects by name; lookups ran against the cluster without error.
    expect(notes).toContain("rollout status deploy/zhengyun-controller");
  });

  it("hardens every container and limits its resources", () => {
    const workloads = objects.filter(isWorkload);
    expect(workloads.length).toBeGreaterThanOrEqual(2);
    for (const workload of workloads) {
      const { spec } = podTemplate(workload);
      const where = `${workload.kind} ${workload.metadata.name}`;
      expect(spec.securityContext, where).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
      expect(spec.securityContext?.runAsUser, where).not.toBe(0);
      expect(spec.hostNetwork ?? false, where).toBe(false);
      for (const c of allContainers(spec)) {
        const at = `${where} container ${c.name}`;
        expect(c.image, at).toMatch(DIGEST);
        expect(c.image, at).toMatch(/^registry\.zhengyun\.gov\.cn\//);
        expect(c.resources?.limits, at).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(c.resources?.requests, at).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(c.securityContext, at).toMatchObject({
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ["ALL"] },
          seccompProfile: { type: "RuntimeDefault" },
        });
        // The image's entrypoint (tini) stays: containers pass args only.
        expect(c.command, at).toBeUndefined();
        // A read-only root needs somewhere to write: /tmp is an emptyDir everywhere.
        expect(
          c.volumeMounts?.map((m) => m.mountPath),
          at,
        ).toContain("/tmp");
      }
    }
  });

  it("mounts a service account token only into the controller", () => {
    for (const workload of objects.filter(isWorkload)) {
      const { spec } = podTemplate(workload);
      const expected = workload.metadata.name === "zhengyun-controller";
      expect(spec.automountServiceAccountToken, `${workload.kind} ${workload.metadata.name}`).toBe(expected);
    }
    for (const sa of objects.filter((o) => o.kind === "ServiceAccount")) {
      expect(sa.automountServiceAccountToken, `ServiceAccount ${sa.metadata.name}`).toBe(false);
    }
  });

  it("probes the portal on /healthz and /readyz and the controller on /healthz", () => {
    const portal = podTemplate(find(objects, "Deployment", "zhengyun-portal")).spec.containers[0]!;
    expect(portal.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(portal.readinessProbe?.httpGet?.path).toBe("/readyz");
    expect(portal.startupProbe?.httpGet?.path).toBe("/healthz");
    const controller = podTemplate(find(objects, "Deployment", "zhengyun-controller")).spec.containers[0]!;
    expect(controller.livenessProbe?.httpGet?.path).toBe("/healthz");
    expect(controller.readinessProbe?.httpGet?.path).toBe("/healthz");
  });

  it("takes the database URL, the passphrase and the OIDC client secret only from Secrets", () => {
    for (const workload of objects.filter(isWorkload)) {
      for (const c of allContainers(podTemplate(workload).spec)) {
        for (const name of ["DATABASE_URL", "MIGRATION_DATABASE_URL", "PULUMI_CONFIG_PASSPHRASE", "OIDC_CLIENT_SECRET", "COOKIE_SECRET"]) {
          const env = c.env?.find((e) => e.name === name);
          if (env) expect(env.valueFrom?.secretKeyRef, `${c.name} ${name}`).toBeDefined();
          if (env) expect(env.value, `${c.name} ${name}`).toBeUndefined();
        }
      }
    }
  });

  it("puts every pod behind a NetworkPolicy when policies are enabled, and every Deployment behind a PDB when budgets are", () => {
    const policies = objects.filter((o) => o.kind === "NetworkPolicy");
    const budgets = objects.filter((o) => o.kind === "PodDisruptionBudget");
    for (const workload of objects.filter(isWorkload)) {
      const labels = (podTemplate(workload) as PodTemplate).metadata.labels;
      if (policies.length > 0) {
        const covering = policies.filter((p) => selects((p.spec as { podSelector: LabelSelector }).podSelector, labels));
        expect(covering.length, `${workload.metadata.name} is selected by a NetworkPolicy`).toBeGreaterThan(0);
        // A hook workload is covered by a hook policy (the release's own ones do not exist yet at pre-install).
        if (isHook(workload)) expect(covering.some(isHook), `${workload.metadata.name} hook policy`).toBe(true);
        for (const p of covering) expect((p.spec as { policyTypes: string[] }).policyTypes).toEqual(["Ingress", "Egress"]);
      }
      if (workload.kind === "Deployment" && budgets.length > 0) {
        expect(
          budgets.some((b) => selects((b.spec as { selector: LabelSelector }).selector, labels)),
          `${workload.metadata.name} has a PodDisruptionBudget`,
        ).toBe(true);
      }
    }
  });

  it("runs several controller replicas without a leader: each pod its own lease owner, spread out, one down at a time", () => {
    const deployment = find(objects, "Deployment", "zhengyun-controller") as Manifest & {
      spec: { replicas: number; strategy: { rollingUpdate: { maxUnavailable: number } } };
    };
    const replicas = deployment.spec.replicas;
    expect(replicas).toBeGreaterThanOrEqual(1);
    const template = podTemplate(deployment);
    const spec = template.spec as unknown as {
      affinity?: unknown;
      topologySpreadConstraints?: unknown;
      containers: { name: string; env?: { name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[] }[];
    };
    const env = spec.containers.find((c) => c.name === "controller")?.env ?? [];
    // The lease owner is the pod's name: unique per replica, so SKIP LOCKED claims never mistake one replica for another.
    expect(env.find((e) => e.name === "ZHENGYUN_CONTROLLER_ID")?.valueFrom?.fieldRef?.fieldPath).toBe("metadata.name");
    // No leader election anywhere: the queue is the only coordination.
    expect(JSON.stringify(objects).toLowerCase()).not.toMatch(/leader-?elect|"kind":"lease"/);
    if (replicas < 2) return;
    expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    expect(spec.affinity ?? spec.topologySpreadConstraints).toBeTruthy();
    const budget = objects.find(
      (o) => o.kind === "PodDisruptionBudget" && selects((o.spec as { selector: LabelSelector }).selector, template.metadata.labels),
    ) as (Manifest & { spec: { maxUnavailable?: number } }) | undefined;
    expect(budget, "a PodDisruptionBudget covers the controller replicas").toBeDefined();
    expect(budget!.spec.maxUnavailable).toBeLessThan(replicas);
  });

  it("runs the unified egress in the cluster only with egress.mode=cluster, granting the gateway's kinds in its namespace alone", () => {
    const deployment = find(objects, "Deployment", "zhengyun-controller");
    const controller = podTemplate(deployment).spec.containers.find((c) => c.name === "controller")!;
    const env = new Map((controller.env ?? []).map((e) => [e.name, e.value]));
    const mode = env.get("ZHENGYUN_EGRESS");
    expect(["off", "cluster"]).toContain(mode);
    const egressObjects = objects.filter((o) => o.metadata.namespace === "zhengyun-egress" || o.metadata.name === "zhengyun-egress-log");
    if (mode === "off") {
      expect(egressObjects).toEqual([]);
      expect([...env.keys()].filter((k) => k.startsWith("ZHENGYUN_EGRESS_"))).toEqual([]);
      expect(controller.ports?.map((p) => p.name)).toEqual(["metrics"]);
      return;
    }
    // The controller: the gateway's image (platform registry, pinned), and the collector its pods
    // send their access log to, through the Service below, which selects the controller's pods.
    expect(env.get("ZHENGYUN_EGRESS_IMAGE")).toMatch(/^registry\.zhengyun\.gov\.cn\/platform\/egress-gateway:[\w.-]+@sha256:[0-9a-f]{64}$/);
    expect(Number(env.get("ZHENGYUN_EGRESS_REPLICAS"))).toBeGreaterThanOrEqual(1);
    expect(Number(env.get("ZHENGYUN_EGRESS_RETENTION_DAYS"))).toBeGreaterThanOrEqual(180);
    const port = controller.ports?.find((p) => p.name === "egress-log")?.containerPort;
    expect(port).toBeGreaterThan(0);
    expect(env.get("ZHENGYUN_EGRESS_COLLECTOR")).toBe(`zhengyun-egress-log.zhengyun-system.svc:${port}`);
    expect(env.get("ZHENGYUN_EGRESS_COLLECTOR_LISTEN")).toBe(`0.0.0.0:${port}`);
    const service = find(objects, "Service", "zhengyun-egress-log") as Manifest & {
      spec: { selector: Record<string, string>; ports: { port: number; targetPort: string }[] };
    };
    expect(selects({ matchLabels: service.spec.selector }, podTemplate(deployment).metadata.labels)).toBe(true);
    expect(service.spec.ports).toEqual([expect.objectContaining({ port, targetPort: "egress-log" })]);

    // Rights: the gateway's Deployment, Service and Secret, and reading its pods, in zhengyun-egress
    // only (a Role, not the ClusterRole), bound to the controller's service account.
    const role = find(objects, "Role", "zhengyun:egress-gateway") as Manifest & { rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[] };
    expect(role.metadata.namespace).toBe("zhengyun-egress");
    const write = ["get", "list", "watch", "create", "update", "patch", "delete"];
    expect(role.rules).toEqual([
      { apiGroups: ["apps"], resources: ["deployments"], verbs: write },
      { apiGroups: [""], resources: ["services", "secrets"], verbs: write },
      { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] },
    ]);
    const binding = find(objects, "RoleBinding", "zhengyun:egress-gateway") as Manifest & { roleRef: unknown; subjects: unknown };
    const clusterBinding = objects.find((o) => o.kind === "ClusterRoleBinding") as Manifest & { subjects: unknown };
    expect(binding.metadata.namespace).toBe("zhengyun-egress");
    expect(binding.roleRef).toEqual({ apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "zhengyun:egress-gateway" });
    expect(binding.subjects).toEqual(clusterBinding.subjects);
    // Rendered without a cluster, the namespace does not exist yet: the chart creates it and keeps it.
    const namespace = find(objects, "Namespace", "zhengyun-egress");
    expect(namespace.metadata.annotations?.["helm.sh/resource-policy"]).toBe("keep");

    // Network: the controller admits the collector's port from the gateway's pods only.
    const policy = objects.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "zhengyun-controller") as
      | (Manifest & { spec: { ingress: { ports: { port: number }[]; from?: unknown[] }[] } })
      | undefined;
    if (policy) {
      const rule = policy.spec.ingress.find((r) => r.ports.some((p) => p.port === port));
      expect(rule?.from).toEqual([
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "zhengyun-egress" } },
          podSelector: { matchLabels: { "app.kubernetes.io/name": "zhengyun-egress-gateway" } },
        },
      ]);
    }
  });

  it("gives the schema owner's URL only to whoever migrates: the Job when enabled, else the pods", () => {
    const holders = objects
      .filter(isWorkload)
      .filter((w) => allContainers(podTemplate(w).spec).some((c) => c.env?.some((e) => e.name === "MIGRATION_DATABASE_URL")))
      .map((w) => w.kind);
    const job = objects.find((o) => o.kind === "Job");
    // The scenarios that name a schema owner's secret of their own (database.migration.existingSecret).
    if (name === "ha" || name === "province") expect(holders).toEqual(["Job"]);
    else if (job) expect(holders).toEqual([]);
    const portal = podTemplate(find(objects, "Deployment", "zhengyun-portal")).spec.containers[0]!;
    expect(portal.env?.find((e) => e.name === "METRICS_PORT")?.value).toBe("9463");
    expect(portal.ports?.map((p) => p.containerPort)).toEqual([8080, 9463]);
  });

  it("runs the migration before install and upgrade as a hook, when enabled", () => {
    const job = objects.find((o) => o.kind === "Job");
    if (!job) return;
    expect(job.metadata.annotations?.["helm.sh/hook"]).toBe("pre-install,pre-upgrade");
    expect(podTemplate(job).spec.containers[0]?.args).toEqual(["node", "--import", "tsx", "db/src/migrate-cli.ts"]);
  });

  it("gives the controller only the kinds it reconciles", () => {
    const role = objects.find((o) => o.kind === "ClusterRole") as Manifest & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] }[];
    };
    const granted = role.rules.flatMap((r) => r.resources.map((res) => `${r.apiGroups[0] || "core"}/${res}`));
    expect(new Set(granted)).toEqual(
      new Set([
        "core/namespaces",
        "core/resourcequotas",
        "core/resourcequotas/status",
        "core/limitranges",
        "core/configmaps",
        "core/services",
        "networking.k8s.io/networkpolicies",
        "networking.k8s.io/ingresses",
        "rbac.authorization.k8s.io/rolebindings",
        "rbac.authorization.k8s.io/clusterroles",
        "admissionregistration.k8s.io/validatingadmissionpolicies",
        "admissionregistration.k8s.io/validatingadmissionpolicybindings",
        "storage.k8s.io/storageclasses",
      ]),
    );
    // Services and Ingresses are only read (the drift check reports foreign ones), never written.
    for (const rule of role.rules.filter((r) => r.resources.includes("services") || r.resources.includes("ingresses"))) {
      expect(rule.verbs).toEqual(["get", "list", "watch"]);
    }
    for (const rule of role.rules) {
      expect(rule.verbs).not.toContain("*");
      expect(rule.verbs).not.toContain("escalate");
      expect(rule.verbs).not.toContain("impersonate");
      expect(rule.resources).not.toContain("*");
      if (rule.resources.includes("clusterroles"))
        expect(rule).toMatchObject({
          verbs: ["bind"],
          resourceNames: [`${role.metadata.name.replace(/:controller$/, "")}:tenant`, `${role.metadata.name.replace(/:controller$/, "")}:tenant-exec`],
        });
    }
  });

  it("grants the controller rule for rule what controllerClusterRole() grants where the baseline carries its RBAC", () => {
    const role = objects.find((o) => o.kind === "ClusterRole" && o.metadata.name.endsWith(":controller")) as Manifest & { rules: unknown[] };
    const prefix = role.metadata.name.replace(/:controller$/, "");
    // The same rules, with the tenant roles named after the release instead of the baseline's.
    const tenantNames: Record<string, string> = { [TENANT_ROLE]: `${prefix}:tenant`, [TENANT_EXEC_ROLE]: `${prefix}:tenant-exec` };
    const expected = (controllerClusterRole().rules as { resourceNames?: string[] }[]).map((rule) =>
      rule.resourceNames ? { ...rule, resourceNames: rule.resourceNames.map((n) => tenantNames[n] ?? n) } : rule,
    );
    // No CI scenario adds controller.rbac.extraRules, so the rendered role is exactly the code's.
    expect(role.rules).toEqual(expected);
  });

  it("gives departments the platform's tenant roles, rule for rule the ones the baseline applies", () => {
    for (const expected of [tenantClusterRole(), tenantExecClusterRole()]) {
      const suffix = expected.metadata.name.replace(/^zhengyun-/, ":");
      const role = objects.find((o) => o.kind === "ClusterRole" && o.metadata.name.endsWith(suffix)) as Manifest & { rules: unknown };
      expect(role, expected.metadata.name).toBeDefined();
      expect(role.rules).toEqual(expected.rules);
    }
  });
});
