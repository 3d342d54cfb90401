// The chart, installed for real: the project's image built from the repository's Dockerfile with
// podman (no daemon, a locally assembled base), imported into the node's containerd, and
// `helm install` of charts/zhengyun into a level 3 namespace judged by the platform's own policies.
// The migration Job migrates an empty database, the portal and the controller become Ready, the
// portal answers through its Service and signs a person in over HTTP, and the controller running in
// the cluster reconciles an approved request into a namespace where a workload then runs. With
// `egress.mode=cluster` the controller also runs the unified internet egress in the cluster: the
// gateway it creates in zhengyun-egress answers, and the gateway's access log reaches PostgreSQL
// through the controller's collector.
//
// The controller reaches the API server as any pod does, through the `kubernetes` Service (its
// endpoint is the node's relay to the loopback API server). The machine's PostgreSQL listens on
// loopback only; pods reach it through a relay the test opens on the node's bridge address
// (nothing is restarted or opened on another address of the machine).

import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as k8s from "@kubernetes/client-node";
import { GATEWAY_NAME } from "@zhengyun/controller/egress/cluster";
import { eventually, kubeClient, kubeconfigPath, untilActive } from "@zhengyun/controller/testing/fixtures";
import { type Database, openDatabase } from "@zhengyun/db/client";
import { clusterCapacity, egressConnections, zonePools } from "@zhengyun/db/schema";
import { RESOURCES } from "@zhengyun/db/schema/enums";
import { chartDir, helm } from "@zhengyun/infra/chart/helm";
import { type Level3, level3System } from "@zhengyun/infra/chart/level3";
import { kubectl } from "@zhengyun/infra/chart/run";
import { type AppImage, buildAppImage, buildRecord } from "@zhengyun/infra/cluster/app-image";
import { API_RELAY_PORT } from "@zhengyun/infra/cluster/dns";
import { PLATFORM_PROBE } from "@zhengyun/infra/cluster/images";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { importImage, NODE_IP } from "@zhengyun/infra/cluster/node";
import { httpGetAnswered, probePodSpec, untilRunning } from "@zhengyun/infra/cluster/pods";
import { type Relay, tcpRelay } from "@zhengyun/infra/cluster/relay";
import { EGRESS_GATEWAY_IMAGE, PLATFORM_EGRESS_GATEWAY } from "@zhengyun/infra/cluster/rootfs";
import { EGRESS_NAMESPACE } from "@zhengyun/policies/model/labels";
import { hashPassword } from "@zhengyun/portal/auth/passwords";
import { makeOrg, makeUser, requestIn } from "@zhengyun/portal/test/harness";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const kube = kubeClient();
const id = randomBytes(3).toString("hex");
const release = `zhengyun-${id}`;
const PASSWORD = "chart-install-密码-1";
const COLLECTOR_PORT = 9465;

/** An HTTP request through a forward proxy (absolute-form target): the proxy's status. */
function viaProxy(proxy: { host: string; port: number }, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: proxy.host, port: proxy.port, path: target, headers: { host: new URL(target).host }, timeout: 10_000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}
describe("the chart installed on the local node", () => {
  const node = inject("node");
  const apps = kube.kc.makeApiClient(k8s.AppsV1Api);
  const gatewayImage = node.images.find((i) => i.ref === EGRESS_GATEWAY_IMAGE.ref);
  const baseUrl = new URL(process.env.DATABASE_URL ?? "postgres://missing");
  const dbName = `zy_chart_${id}`;
  let image: AppImage;
  let level3: Level3;
  let database: Database | undefined;
  let dbRelay: Relay;
  let work: string;
  let portalUrl = "";
  let installed = false;
  const systemNamespaces: string[] = [];

  beforeAll(async () => {
    const started = Date.now();
    image = await buildAppImage((m) => console.log(`[chart-install] ${m}`));
    const record = await buildRecord(image);
    console.log(
      `[chart-install] image ${image.ref}@${image.digest}: ${image.buildSeconds ? `built in ${image.buildSeconds}s (base ${image.baseSeconds}s)` : `cached (cold build took ${record?.seconds ?? "?"}s)`}`,
    );
    const importStarted = Date.now();
    await importImage(node.containerdSocket, image);
    console.log(`[chart-install] imported into the node's containerd in ${((Date.now() - importStarted) / 1000).toFixed(1)}s`);

    dbRelay = await tcpRelay(NODE_IP, { host: baseUrl.hostname, port: Number(baseUrl.port || 5432) });

    // An empty database: the chart's migration Job creates the schema.
    const admin = new pg.Client({ connectionString: baseUrl.toString() });
    await admin.connect();
    await admin.query(`create database ${dbName}`).finally(() => admin.end());
    const podUrl = new URL(baseUrl);
    podUrl.hostname = dbRelay.host;
    podUrl.port = String(dbRelay.port);
    podUrl.pathname = `/${dbName}`;

    level3 = await level3System(kubeconfigPath(), id);
    const ns = level3.namespace;
    await kube.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: "zhengyun-database" }, stringData: { DATABASE_URL: podUrl.toString() } },
    });
    await kube.core.createNamespacedSecret({
      namespace: ns,
      body: { metadata: { name: "zhengyun-pulumi" }, stringData: { PULUMI_CONFIG_PASSPHRASE: randomBytes(16).toString("hex") } },
    });
    work = await mkdtemp(join(tmpdir(), "zhengyun-chart-install-"));
    const values = {
      image: { repository: image.repository, tag: image.tag, digest: image.digest, pullPolicy: "IfNotPresent" },
      database: { existingSecret: "zhengyun-database" },
      portal: { replicas: 1, podDisruptionBudget: { enabled: false } },
      controller: {
        pulumi: { passphrase: { existingSecret: "zhengyun-pulumi" } },
        storageProvisioner: LOCAL_STORAGE_PROVISIONER,
        podDisruptionBudget: { enabled: false },
        extraEnv: [
          { name: "ZHENGYUN_RESYNC_INTERVAL_MS", value: "2000" },
          { name: "ZHENGYUN_BACKOFF_BASE_MS", value: "1000" },
        ],
      },
      // The unified egress in the cluster, one gateway replica (the node has two cores).
      egress: {
        mode: "cluster",
        gateway: { image: { repository: PLATFORM_EGRESS_GATEWAY, tag: "1", digest: gatewayImage?.digest ?? "" }, replicas: 1 },
        collector: { port: COLLECTOR_PORT },
        retentionDays: 180,
      },
      networkPolicy: {
        database: { port: dbRelay.port, to: [{ ipBlock: { cidr: `${NODE_IP}/32` } }] },
        // The `kubernetes` Service's endpoint, as the policy sees it after kube-proxy's translation.
        kubeApi: { ports: [API_RELAY_PORT], to: [{ ipBlock: { cidr: `${NODE_IP}/32` } }] },
      },
    };
    const valuesFile = join(work, "values.json");
    await writeFile(valuesFile, JSON.stringify(values));
    const installStarted = Date.now();
    const r = await helm(
      ["install", release, chartDir, "--kubeconfig", kubeconfigPath(), "--namespace", ns, "-f", valuesFile, "--wait", "--timeout", "12m"],
      780_000,
    );
    if (r.code !== 0) {
      const pods = await kubectl(kubeconfigPath(), ["get", "pods,jobs,events", "-n", ns, "-o", "wide"]);
      const logs = await kubectl(kubeconfigPath(), ["logs", "-n", ns, "-l", "app.kubernetes.io/instance", "--all-containers", "--tail=40", "--prefix"]);
      throw new Error(`helm install failed (${r.code}): ${r.stderr}\n${pods.stdout}\n${logs.stdout}${logs.stderr}`);
    }
    installed = true;
    console.log(
      `[chart-install] helm install (migration Job, portal and controller Ready) in ${((Date.now() - installStarted) / 1000).toFixed(1)}s; whole setup ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );

    const testUrl = new URL(baseUrl);
    testUrl.pathname = `/${dbName}`;
    database = await openDatabase({ url: testUrl.toString(), poolSize: 5 });
    // The platform's address pools and capacity, as an operator enters them after installing.
    await database.db.insert(zonePools).values([
      { zone: "internal", cidr: "10.128.0.0/12" },
      { zone: "external", cidr: "10.64.0.0/12" },
    ]);
    await database.db.insert(clusterCapacity).values(RESOURCES.map((resource) => ({ resource, amount: 1_000_000 })));
    const service = await kube.core.readNamespacedService({ namespace: ns, name: `${release}-portal` });
    portalUrl = `http://${service.spec?.clusterIP}:${service.spec?.ports?.[0]?.port}`;
  }, 3_600_000);

  afterAll(async () => {
    const kc = kubeconfigPath();
    if (installed) await helm(["uninstall", release, "--kubeconfig", kc, "--namespace", level3.namespace, "--wait", "--timeout", "3m"], 200_000);
    // The gateway's objects outlive the controller that made them (the namespace is the platform's).
    await kubectl(kc, [
      "delete",
      "deployment,service,secret,networkpolicy",
      "-n",
      EGRESS_NAMESPACE,
      "-l",
      `app.kubernetes.io/name=${GATEWAY_NAME}`,
      "--wait=false",
    ]);
    if (systemNamespaces.length > 0) await kubectl(kc, ["delete", "namespace", ...systemNamespaces, "--ignore-not-found", "--wait=false"]);
    if (level3) {
      await kubectl(kc, ["delete", "namespace", level3.namespace, "--ignore-not-found", "--wait=false"]);
      await level3.cleanup();
    }
    await dbRelay?.close();
    await database?.close();
    const admin = new pg.Client({ connectionString: baseUrl.toString() });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`).finally(() => admin.end());
    if (work) await rm(work, { recursive: true, force: true });
  }, 300_000);

  it("ran the migration Job and runs the portal and the controller, Ready, under the level 3 policies", async () => {
    // The Job is a pre-install hook deleted once it succeeded; `helm install` returned only after that.
    const status = await helm(["status", release, "--kubeconfig", kubeconfigPath(), "--namespace", level3.namespace, "-o", "json"]);
    expect((JSON.parse(status.stdout) as { info: { status: string } }).info.status).toBe("deployed");
    const migrated = await database!.sql.query<{ n: string }>("select count(*) as n from drizzle.__drizzle_migrations");
    expect(Number(migrated.rows[0]?.n)).toBeGreaterThan(0);

    const ns = await kube.core.readNamespace({ name: level3.namespace });
    expect(ns.metadata?.labels).toMatchObject({ "zhengyun.gov.cn/level": "3", "pod-security.kubernetes.io/enforce": "restricted" });
    const pods = await kube.core.listNamespacedPod({ namespace: level3.namespace });
    const byComponent = (c: string) => pods.items.filter((p) => p.metadata?.labels?.["app.kubernetes.io/component"] === c);
    for (const component of ["portal", "controller"]) {
      const [pod] = byComponent(component);
      expect(pod, component).toBeDefined();
      expect(pod?.spec?.nodeName).toBe(node.name);
      expect(pod?.status?.conditions?.find((c) => c.type === "Ready")?.status, component).toBe("True");
      expect(pod?.spec?.containers[0]?.image).toBe(`${image.repository}:${image.tag}@${image.digest}`);
    }
  });

  it("answers through the portal's Service and signs a person in over HTTP", async () => {
    expect((await httpGetAnswered(`${portalUrl}/healthz`)).status).toBe(200);
    const org = await makeOrg(database!, { level: 3 });
    const person = await makeUser(database!, org.dept.id, ["applicant"], await hashPassword(PASSWORD));
    const wrong = await fetch(`${portalUrl}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: person.username, password: "not-the-password" }),
    });
    expect(wrong.status).toBe(401);
    const login = await fetch(`${portalUrl}/api/v1/session`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: person.username, password: PASSWORD }),
    });
    expect(login.status, await login.clone().text()).toBe(200);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    const me = await fetch(`${portalUrl}/api/v1/me`, { headers: { cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ username: person.username });
  });

  it("reconciles an approved request with the controller in the cluster; a workload then runs in the system's namespace", async () => {
    const org = await makeOrg(database!, { level: 3 });
    const filed = await requestIn(org, "provisioning", { level: 3, vcpu: 2 });
    systemNamespaces.push(filed.system.namespace);
    await untilActive(database!, filed.request.id, 600_000);
    const namespace = await kube.core.readNamespace({ name: filed.system.namespace });
    expect(namespace.metadata?.labels).toMatchObject({ "zhengyun.gov.cn/level": "3" });
    await eventually("the default service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace: filed.system.namespace }));

    const { spec, container } = probePodSpec(node, 3, ["serve", "8080"]);
    container.imagePullPolicy = "IfNotPresent";
    container.resources = { limits: { cpu: "500m", memory: "128Mi" } };
    await kube.core.createNamespacedPod({ namespace: filed.system.namespace, body: { metadata: { name: "workload" }, spec } });
    const pod = await untilRunning(kube.core, filed.system.namespace, "workload");
    expect(pod.spec?.nodeName).toBe(node.name);
    expect(await httpGetAnswered(`http://${pod.status?.podIP}:8080/`)).toEqual({ status: 200, body: "ok workload\n" });
    // Under the level's controls: the same pod by tag instead of digest is refused at admission.
    const unpinned = probePodSpec(node, 3, ["serve", "8080"]);
    unpinned.container.image = `${PLATFORM_PROBE}:1`;
    const refused = await kube.core
      .createNamespacedPod({ namespace: filed.system.namespace, body: { metadata: { name: "unpinned" }, spec: unpinned.spec } })
      .then(
        () => "admitted",
        (err: { body?: string }) => String(err.body ?? err),
      );
    expect(refused).toContain("digest-pinning");
  }, 900_000);

  it("runs the unified egress in the cluster: the gateway the controller made answers, and its log reaches PostgreSQL", async () => {
    const pinned = `${PLATFORM_EGRESS_GATEWAY}:1@${gatewayImage?.digest}`;
    const deployment = await eventually(
      "the egress gateway's rollout",
      async () => {
        const d = await apps.readNamespacedDeployment({ namespace: EGRESS_NAMESPACE, name: GATEWAY_NAME }).catch(() => undefined);
        return d?.status?.readyReplicas === 1 && d.status.updatedReplicas === 1 ? d : undefined;
      },
      300_000,
      1_000,
    );
    expect(deployment.spec?.template.spec?.containers[0]?.image).toBe(pinned);
    const [gateway] = (
      await kube.core.listNamespacedPod({ namespace: EGRESS_NAMESPACE, labelSelector: `app.kubernetes.io/name=${GATEWAY_NAME}` })
    ).items.filter((p) => p.status?.phase === "Running");
    expect(gateway?.spec?.nodeName).toBe(node.name);

    // The common port admits nothing: the gateway refuses, and says so in its access log, which it
    // sends to the controller's collector (Service <release>-egress-log), which stores it.
    const target = "http://api.open-data.example.com/";
    const status = await viaProxy({ host: gateway?.status?.podIP ?? "", port: 3128 }, target);
    expect(status).toBe(403);
    const rows = await eventually(
      "the gateway's log line in PostgreSQL",
      async () => {
        const r = await database!.db.select().from(egressConnections).where(eq(egressConnections.gatewayPort, 3128));
        return r.length > 0 ? r : undefined;
      },
      120_000,
      500,
    );
    expect(rows[0]).toMatchObject({ systemId: null, method: "GET", host: "api.open-data.example.com", port: 80, status: 403, action: "denied" });
    console.log(
      `[chart-install] egress gateway ${gateway?.metadata?.name} (${pinned}) answered ${status} on its common port; stored: ${rows
        .map((r) => `port ${r.gatewayPort} ${r.method} ${r.host}:${r.port} ${r.status} ${r.action}`)
        .join("; ")}`,
    );
  }, 600_000);
});
