// Storage that binds: the controller's storage classes, backed on the local node by
// kube-controller-manager's host-path provisioner, give a system's claim a volume; a pod writes
// to it, and the storage quota's used amount, the allocation and the portal's numbers move.
// (The `encrypted` class is not encrypted at rest on this node, so it is not exercised here.)

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { requestCheck } from "@zhengyun/controller/claims/claims";
import { eventually } from "@zhengyun/controller/testing/fixtures";
import { allocationItems } from "@zhengyun/db/schema";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { onTheNode } from "./provisioned.js";

const TEXT = "政云 volume written by a pod";

describe("a claim on the node's standard storage class", async () => {
  const { node, kube, database, org, provision, probePod } = await onTheNode(2);

  it("binds, takes a pod's writes, and moves the storage quota's used amount into the portal", async () => {
    const filed = await provision(1);
    const namespace = filed.system.namespace;
    const sc = await kube.kc.makeApiClient((await import("@kubernetes/client-node")).StorageV1Api).readStorageClass({ name: "standard" });
    expect(sc.provisioner).toBe(LOCAL_STORAGE_PROVISIONER);

    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: "data" },
        spec: { storageClassName: "standard", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    const { spec, container } = probePod(["write", "/data/hello", TEXT]);
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
