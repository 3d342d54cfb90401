// The local node's volume provisioner: a process started with the node (volumes.ts) that backs
// every StorageClass whose provisioner is NODE_VOLUMES_PROVISIONER. Each claim gets a directory
// on the node's ext4 volume filesystem (a loop-mounted image), as a hostPath volume pinned to the
// node; a class annotated `zhengyun.gov.cn/encrypted: "true"` gets a directory under an fscrypt
// policy (AES-256-XTS contents, AES-256-CTS names) with the node's key, so what it holds is
// ciphertext on the disk. A released volume whose reclaim policy is Delete (the platform's
// classes) loses its directory and its PersistentVolume.
//
// Plain Node ESM, started as `node node-volumes.mjs <config.json>`; it polls the API server (one
// node, a handful of claims) rather than keeping watches.
//
// config.json: { kubeconfig, provisioner, node, root, fscrypt, keyIdentifier, pollMs }

import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdir, rm } from "node:fs/promises";
import { resolve } from "node:path";
import { promisify } from "node:util";
import * as k8s from "@kubernetes/client-node";

const run = promisify(execFile);
const config = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));
const kc = new k8s.KubeConfig();
kc.loadFromFile(config.kubeconfig);
const core = kc.makeApiClient(k8s.CoreV1Api);
const storage = kc.makeApiClient(k8s.StorageV1Api);

const PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";
const ENCRYPTED = "zhengyun.gov.cn/encrypted";
const SELECTED_NODE = "volume.kubernetes.io/selected-node";
const log = (message) => console.log(`${new Date().toISOString()} ${message}`);

/** The directory of a volume; never outside the root. */
function volumeDir(name) {
  const dir = resolve(config.root, name);
  if (!dir.startsWith(`${resolve(config.root)}/`)) throw new Error(`volume ${name} would be outside ${config.root}`);
  return dir;
}

async function provision(claim, sc) {
  const name = `pvc-${claim.metadata.uid}`;
  const encrypted = sc.metadata?.annotations?.[ENCRYPTED] === "true";
  const dir = volumeDir(name);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  // An fscrypt policy can only be set on an empty directory: before anything is written.
  if (encrypted) await run(config.fscrypt, ["encrypt", dir, config.keyIdentifier]);
  // The pods' users are not known in advance (restricted pods run as non-root).
  await chmod(dir, 0o777);
  await core.createPersistentVolume({
    body: {
      metadata: { name, annotations: { [PROVISIONED_BY]: config.provisioner, [ENCRYPTED]: String(encrypted) } },
      spec: {
        capacity: { storage: claim.spec.resources.requests.storage },
        accessModes: claim.spec.accessModes,
        persistentVolumeReclaimPolicy: sc.reclaimPolicy ?? "Delete",
        storageClassName: sc.metadata.name,
        claimRef: { apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: claim.metadata.namespace, name: claim.metadata.name, uid: claim.metadata.uid },
        hostPath: { path: dir, type: "Directory" },
        nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/hostname", operator: "In", values: [config.node] }] }] } },
        volumeMode: "Filesystem",
      },
    },
  });
  log(`provisioned ${name} for ${claim.metadata.namespace}/${claim.metadata.name} (${sc.metadata.name}${encrypted ? ", encrypted" : ""}) at ${dir}`);
}

async function destroy(pv) {
  const path = pv.spec?.hostPath?.path;
  if (path) await rm(volumeDir(pv.metadata.name), { recursive: true, force: true });
  await core.deletePersistentVolume({ name: pv.metadata.name }).catch((err) => {
    if (err.code !== 404) throw err;
  });
  log(`deleted ${pv.metadata.name} (released by ${pv.spec?.claimRef?.namespace}/${pv.spec?.claimRef?.name}) and ${path}`);
}

async function once() {
  const classes = new Map((await storage.listStorageClass()).items.filter((sc) => sc.provisioner === config.provisioner).map((sc) => [sc.metadata.name, sc]));
  const volumes = (await core.listPersistentVolume()).items;
  const existing = new Set(volumes.map((pv) => pv.metadata.name));
  for (const claim of (await core.listPersistentVolumeClaimForAllNamespaces()).items) {
    const sc = classes.get(claim.spec?.storageClassName ?? "");
    if (!sc || claim.spec.volumeName || claim.metadata.deletionTimestamp || claim.status?.phase !== "Pending") continue;
    // WaitForFirstConsumer: provision once the scheduler has put the claim's pod on this node.
    const selected = claim.metadata.annotations?.[SELECTED_NODE];
    if (sc.volumeBindingMode === "WaitForFirstConsumer" ? selected !== config.node : selected && selected !== config.node) continue;
    if (existing.has(`pvc-${claim.metadata.uid}`)) continue;
    await provision(claim, sc);
  }
  for (const pv of volumes) {
    if (pv.metadata.annotations?.[PROVISIONED_BY] !== config.provisioner) continue;
    if (pv.status?.phase === "Released" && pv.spec?.persistentVolumeReclaimPolicy === "Delete") await destroy(pv);
  }
}

log(`provisioner ${config.provisioner} on ${config.node}: volumes under ${config.root}`);
for (;;) {
  try {
    await once();
  } catch (err) {
    log(`error: ${err.body ? JSON.stringify(err.body) : (err.stack ?? err)}`);
  }
  await new Promise((r) => setTimeout(r, config.pollMs ?? 500));
}
