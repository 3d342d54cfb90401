// Storage that binds: the controller's storage classes, backed on the local node by its own
// provisioner (infra/src/cluster/volumes.ts: a directory per volume on the node's ext4 volume
// filesystem), give a system's claim a volume; a pod writes to it, and the storage quota's used
// amount, the allocation and the portal's numbers move. The `encrypted` class is encrypted at rest
// (fscrypt): what a pod writes is ciphertext on the disk and unreadable without the node's key. A
// released system's volumes are destroyed with it.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type * as k8s from "@kubernetes/client-node";
import { requestCheck } from "@zhengyun/controller/claims/claims";
import type { Controller } from "@zhengyun/controller/controller";
import { eventually, isolatedDatabase, kubeClient, startController, stateDir, testConfig, untilActive } from "@zhengyun/controller/testing/fixtures";
import { allocationItems } from "@zhengyun/db/schema";
import { PLATFORM_PROBE, PROBE_IMAGE } from "@zhengyun/infra/cluster/images";
import { LOCAL_STORAGE_PROVISIONER } from "@zhengyun/infra/cluster/local-cluster";
import { toolPath } from "@zhengyun/infra/toolchain";
import { compliantPodSpec } from "@zhengyun/policies/fixtures/pod";
import { makeOrg, requestIn } from "@zhengyun/portal/test/harness";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fileAndApprove } from "../controller/workflow.js";

const kube = kubeClient();
const run = promisify(execFile);
const LEVEL = 2;
const ENOKEY = 126;
const TEXT = "政云 volume written by a pod";

/** A pod that writes `text` to /data/<file> of claim `claim` and exits. */
function writerPod(level: 2 | 3, digest: string, claim: string, file: string, text: string): k8s.V1PodSpec {
  const spec = structuredClone(compliantPodSpec(level));
  const container = spec.containers[0] as k8s.V1Container;
  container.image = `${PLATFORM_PROBE}@${digest}`;
  container.args = ["write", `/data/${file}`, text];
  container.resources = { limits: { cpu: "100m", memory: "64Mi" } };
  container.volumeMounts = [{ name: "data", mountPath: "/data" }];
  spec.restartPolicy = "Never";
  spec.volumes = [{ name: "data", persistentVolumeClaim: { claimName: claim } }];
  return spec;
}

async function untilSucceeded(namespace: string, name: string): Promise<k8s.V1Pod> {
  return eventually(
    `${name} to finish`,
    async () => {
      const pod = await kube.core.readNamespacedPod({ namespace, name });
      if (pod.status?.phase === "Failed") throw new Error(`${name} failed: ${JSON.stringify(pod.status.containerStatuses)}`);
      return pod.status?.phase === "Succeeded" ? pod : undefined;
    },
    180_000,
  );
}

/** Whether `needle` occurs anywhere in the bytes of `file` (the volume filesystem's image). */
async function imageHolds(file: string, needle: string): Promise<boolean> {
  const r = await run("grep", ["-c", "-a", "-F", needle, file]).catch((err: { code?: number }) => ({ code: err.code, stdout: "0" }));
  return Number(String(r.stdout).trim()) > 0;
}

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
    const spec = writerPod(LEVEL, probe?.digest ?? "", "data", "hello", TEXT);
    await kube.core.createNamespacedPod({ namespace, body: { metadata: { name: "writer" }, spec } });

    const done = await untilSucceeded(namespace, "writer");
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

  const level3 = await makeOrg(database, { level: 3 });

  it("keeps an encrypted volume as ciphertext on the disk, and destroys it with its released system", async () => {
    const volumes = node.volumes;
    const filed = await requestIn(level3, "provisioning", { level: 3, vcpu: 1 });
    const namespace = filed.system.namespace;
    await untilActive(database, filed.request.id);
    await eventually("the default service account", () => kube.core.readNamespacedServiceAccount({ name: "default", namespace }));
    const secret = `政云-secret-${randomBytes(8).toString("hex")}`;

    await kube.core.createNamespacedPersistentVolumeClaim({
      namespace,
      body: {
        metadata: { name: "vault" },
        spec: { storageClassName: "encrypted", accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
      },
    });
    // Level 3 pods run as non-root (restricted): the volume directory is writable by any user.
    await kube.core.createNamespacedPod({
      namespace,
      body: { metadata: { name: "writer" }, spec: writerPod(3, probe?.digest ?? "", "vault", "secret", secret) },
    });
    await untilSucceeded(namespace, "writer");
    const claim = await kube.core.readNamespacedPersistentVolumeClaim({ namespace, name: "vault" });
    const volume = await kube.core.readPersistentVolume({ name: claim.spec?.volumeName ?? "" });
    const dir = volume.spec?.hostPath?.path ?? "";
    expect(volume.metadata?.annotations).toMatchObject({ "zhengyun.gov.cn/encrypted": "true" });
    expect(volume.spec?.persistentVolumeReclaimPolicy).toBe("Delete");
    expect(dir.startsWith(`${volumes.root}/`)).toBe(true);

    // The directory is under an fscrypt policy with the node's key; with the key, the node reads the pod's text.
    const status = (await run(toolPath("zy-fscrypt"), ["status", dir])).stdout.trim();
    expect(status).toBe(`encrypted ${volumes.keyIdentifier}`);
    expect(readdirSync(dir)).toEqual(["secret"]);
    expect(readFileSync(join(dir, "secret"), "utf8")).toBe(secret);

    // On the disk it is ciphertext: the image holds no trace of the text, while a control file
    // written in plain beside the volumes is found in it by the same search.
    const control = `政云-plain-${randomBytes(8).toString("hex")}`;
    writeFileSync(join(volumes.mount, "control"), control);
    await run("sync", ["-f", volumes.mount]);
    expect(await imageHolds(volumes.image, control)).toBe(true);
    expect(await imageHolds(volumes.image, secret)).toBe(false);

    // Without the key, names and contents are unreadable.
    await run(toolPath("zy-fscrypt"), ["remove-key", volumes.mount, volumes.keyIdentifier]);
    let locked: { names: string[]; read: string } = { names: [], read: "" };
    try {
      const names = readdirSync(dir);
      let read = "";
      try {
        read = readFileSync(join(dir, names[0] ?? "secret"), "utf8");
      } catch (err) {
        // Linux's ENOKEY ("Required key not available"), which Node knows only by number.
        const e = err as NodeJS.ErrnoException;
        read = e.errno === -ENOKEY ? "ENOKEY" : (e.code ?? String(err));
      }
      locked = { names, read };
    } finally {
      // The node's key back in the keyring (the same identifier), for the volumes of other tests.
      const again = (await run(toolPath("zy-fscrypt"), ["add-key", volumes.mount, volumes.keyFile])).stdout.trim();
      expect(again).toBe(volumes.keyIdentifier);
    }
    expect(locked.names).toHaveLength(1);
    expect(locked.names[0]).not.toBe("secret");
    expect(locked.read).toBe("ENOKEY");
    expect(readFileSync(join(dir, "secret"), "utf8")).toBe(secret);
    console.log(
      `[storage] encrypted volume ${volume.metadata?.name} at ${dir}: ${status}; without the key the file is named ${locked.names[0]} and reading it gives ${locked.read}; the image holds the plain control text and not the volume's`,
    );

    // Releasing the system deletes its namespace, so its claim, so (reclaim Delete) the volume and its directory.
    await kube.core.deleteNamespacedPod({ namespace, name: "writer", gracePeriodSeconds: 0 });
    const release = await fileAndApprove(level3, filed.system.id, "release");
    await untilActive(database, release, 240_000);
    await eventually("the released volume to be deleted", async () => {
      const gone = await kube.core.readPersistentVolume({ name: volume.metadata?.name ?? "" }).then(
        () => false,
        (err: { code?: number }) => err.code === 404,
      );
      return gone ? true : undefined;
    });
    expect(existsSync(dir)).toBe(false);
    console.log(`[storage] released ${namespace}: volume ${volume.metadata?.name} and ${dir} are gone`);
  });
});
