// Storage that binds: the controller's storage classes, backed on the local node by
// kube-controller-manager's host-path provisioner, give a system's claim a volume; a pod writes
// to it, and the storage quota's used amount, the allocation and the portal's numbers move.
// (The `encrypted` class is not encrypted at rest on this node, so it is not exercised here.)

import { readFileSync } from "node:fs";
import { join } from "node:path";
import type * as k8s from "@kubernetes/client-node";
import { requestCheck } from "@zhengyun/controller/claims/claims";
import type { Controller } from "@zhengyun/controller/controller";
import { eventually, isolatedDatabase, kubeClient, startController, stateDir, testConfig, untilActive } from "@zhengyun/controller/testing/fixtures";
import { allocationItems } from "@zhengyun/db/schema";
import { PLATFORM_PROBE, PROBE_IMAGE } from "@zhengyun/infra/cluster/images";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { makeOrg, requestIn } from "@zhengyun/portal/test/harness";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const kube = kubeClient();
const LEVEL = 2;
const TEXT = "政云 volume written by a pod";

describe("a claim on the node's standard storage class", async () => {
  const node = inject("node");
  const probe = node.images.find((i) => i.ref === PROBE_IMAGE.ref);
  const isolated = await isolatedDatabase();
  const database = isolated.database;
  let controller: Controller;
  let state: Awaited<ReturnType<typeof stateDir>>;

  beforeAll(async () => {
    state = await stateDir();
    controller = await startController(database, testConfig(isolated.url, state.dir, { storageProvisioner: LOCAL_STORAGE_PROVISIONER }));
  }, 180_000);

  afterAll(async () => {
    await controller?.stop(10_000);
    await isolated.drop();
    await state?.remove();
  }, 60_000);

  const org = await makeOrg(database, { level: LEVEL });

  it("binds, takes a pod's writes, and moves the storage quota's used amount into the portal", async () => {
    const filed = await requestIn(org, "provisioning", { level: LEVEL, vcpu: 1 });
    const namespace = filed.system.namespace;
    await untilActive(database, filed.request.id);
    const sc = await kube.kc.makeApiClient((await import("@kubernetes/client-node")).StorageV1Api).readStorageClass({ name: "standard" });
    expect(sc.provisioner).toBe(LOCAL_STORAGE_PROVISIONER);
    await eventually("the default service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace }));

    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: "data" },
        spec: { storageClassName: "standard", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    const spec = structuredClone(compliantPodSpec(LEVEL));
    const container = spec.containers[0] as k8s.V1Container;
    container.image = `${PLATFORM_PROBE}@${probe?.digest}`;
    container.args = ["write", "/data/hello", TEXT];
    container.resources = { limits: { cpu: "100m", memory: "64Mi" } };
    container.volumeMounts = [{ name: "data", mountPath: "/data" }];
    // The host-path volume is a root-owned directory; level 2 (baseline) lets the writer run as root.
    container.securityContext = { runAsUser: 0, allowPrivilegeEscalation: false };
    spec.restartPolicy = "Never";
    spec.volumes = [{ name: "data", persistentVolumeClaim: { claimName: "data" } }];
    await kube.core.createNamespacedPod({ namespace, body: { metadata: { name: "writer" }, spec } });

    const done = await eventually(
      "the writer to finish",
      async () => {
        const pod = await kube.core.readNamespacedPod({ namespace, name: "writer" });
        if (pod.status?.phase === "Failed") throw new Error(`writer failed: ${JSON.stringify(pod.status.containerStatuses)}`);
        return pod.status?.phase === "Succeeded" ? pod : undefined;
      },
      180_000,
    );
    expect(done.spec?.nodeName).toBe(node.name);
    const claim = await kube.core.readNamespacedPersistentVolumeClaim({ namespace, name: "data" });
    expect(claim.status?.phase).toBe("Bound");
    const volume = await kube.core.readPersistentVolume({ name: claim.spec?.volumeName ?? "" });
    const path = volume.spec?.hostPath?.path ?? "";
    expect(readFileSync(join(path, "hello"), "utf8")).toBe(TEXT);

    const used = await eventually("the storage quota to count the claim", async () => {
      const q = await kube.core.readNamespacedResourceQuota({ namespace, name: "zhengyun-storage-class" });
      return q.status?.used?.["standard.storageclass.storage.k8s.io/requests.storage"] === "1Gi" ? q.status.used : undefined;
    });
    await requestCheck(database.pool!, filed.system.id);
    await eventually("storage usage in allocation_items", async () => {
      const rows = await database.db.select().from(allocationItems).where(eq(allocationItems.systemId, filed.system.id));
      return rows.find((r) => r.resource === "storage_standard_gib")?.used === 1 ? rows : undefined;
    });
    const detail = await org.as("applicant").systems.get({ id: filed.system.id });
    expect(detail.used).toMatchObject({ storage_standard_gib: 1 });
    expect(detail.granted).toMatchObject({ storage_standard_gib: 10 });
    console.log(
      `[storage] ${namespace}: claim bound to ${volume.metadata?.name} at ${path}; quota used ${JSON.stringify(used)}; portal used ${JSON.stringify(detail.used)}`,
    );

    await kube.core.deleteNamespacedPod({ namespace, name: "writer", gracePeriodSeconds: 0 });
    await kube.core.deleteNamespacedPersistentVolumeClaim({ namespace, name: "data" });
  });
});
