// The local node's volumes: an ext4 filesystem with the `encrypt` feature in a loop-mounted image
// under the node's directory, a key of the node's own in that filesystem's fscrypt keyring, and a
// provisioner process (node-volumes.mjs) behind every storage class. Volumes of the `encrypted`
// class are fscrypt-encrypted directories: their names and contents are ciphertext on the disk and
// unreadable once the key is removed. (This kernel has FS_ENCRYPTION but no device-mapper, so
// LUKS/dm-crypt cannot run here; a production cluster encrypts at the block layer — LUKS on the
// nodes, or the storage array's own encryption — behind a CSI driver.)
//
// Everything is under the node's directory: the cleanup script unmounts the filesystem (which
// drops its keyring, and so the key) and detaches the loop device.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, open, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { toolPath } from "../toolchain.js";
import { writeKubeconfig } from "./kubeconfig.js";
import type { NodeContext } from "./node.js";
import { signClientCert } from "./pki.js";

const run = promisify(execFile);

/** The provisioner name of the platform's storage classes on the local node. */
export const NODE_VOLUMES_PROVISIONER = "zhengyun.local/node-volumes";
/** Size of the volume filesystem's image (sparse: only what is written takes disk space). */
const IMAGE_BYTES = 2 * 1024 ** 3;
const PROVISIONER_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "node-volumes.mjs");

export interface NodeVolumes {
  provisioner: string;
  /** The ext4 image and where it is mounted. */
  image: string;
  mount: string;
  /** Directory holding one directory per volume. */
  root: string;
  /** The node's fscrypt key (64 random bytes, mode 0600) and its identifier in the keyring. */
  keyFile: string;
  keyIdentifier: string;
}

async function sh(command: string, args: string[]): Promise<string> {
  try {
    return (await run(command, args)).stdout.trim();
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`${command} ${args.join(" ")} failed: ${e.stderr || e.message}`);
  }
}

/** Lines of the node's cleanup script, after its mounts are gone: the loop device of the image. */
export function volumesCleanup(nodeDir: string): string[] {
  return [
    "# The volume filesystem's loop device (its keyring, and so the node's fscrypt key, went with the unmount).",
    `for dev in $(losetup -n -O NAME -j '${join(nodeDir, "volumes.img")}' 2>/dev/null); do losetup -d "$dev" 2>/dev/null; done`,
  ];
}

const PROVISIONER_RULES = [
  { apiGroups: [""], resources: ["persistentvolumes"], verbs: ["get", "list", "watch", "create", "delete"] },
  { apiGroups: [""], resources: ["persistentvolumeclaims"], verbs: ["get", "list", "watch"] },
  { apiGroups: ["storage.k8s.io"], resources: ["storageclasses"], verbs: ["get", "list", "watch"] },
];

async function ensureObject(ctx: NodeContext, path: string, body: unknown): Promise<void> {
  const r = await ctx.post(path, body);
  if (r.status !== 201 && r.status !== 409) throw new Error(`POST ${path}: ${r.status} ${r.body}`);
}

/** Makes and mounts the volume filesystem, adds the node's key, starts the provisioner. */
export async function startVolumes(ctx: NodeContext, nodeDir: string, nodeName: string): Promise<NodeVolumes> {
  const image = join(nodeDir, "volumes.img");
  const mount = join(nodeDir, "volumes");
  const root = join(mount, "pv");
  const keyFile = join(nodeDir, "volumes.key");
  const file = await open(image, "w", 0o600);
  await file.truncate(IMAGE_BYTES);
  await file.close();
  await sh("mkfs.ext4", ["-q", "-F", "-O", "encrypt", "-E", "root_owner=0:0", "-L", "zy-volumes", image]);
  await mkdir(mount);
  await sh("mount", ["-o", "loop,nosuid,nodev", image, mount]);
  await mkdir(root);
  await writeFile(keyFile, randomBytes(64), { mode: 0o600 });
  const keyIdentifier = await sh(toolPath("zy-fscrypt"), ["add-key", mount, keyFile]);

  const user = "system:zhengyun:node-volumes";
  await ensureObject(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterroles", { metadata: { name: "zhengyun:node-volumes" }, rules: PROVISIONER_RULES });
  await ensureObject(ctx, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
    metadata: { name: "zhengyun:node-volumes" },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "zhengyun:node-volumes" },
    subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: user }],
  });
  const cert = await signClientCert(ctx.pki, "node-volumes", `/CN=${user}`);
  const kubeconfig = join(nodeDir, "node-volumes.kubeconfig");
  await writeKubeconfig(kubeconfig, { server: ctx.server, caCert: ctx.pki.caCert, clientCert: cert.cert, clientKey: cert.key, user });
  const config = join(nodeDir, "node-volumes.json");
  await writeFile(
    config,
    `${JSON.stringify({ kubeconfig, provisioner: NODE_VOLUMES_PROVISIONER, node: nodeName, root, fscrypt: toolPath("zy-fscrypt"), keyIdentifier, pollMs: 500 }, null, 2)}\n`,
  );
  ctx.log(`starting the volume provisioner (volumes under ${root}, fscrypt key ${keyIdentifier})`);
  ctx.launch("node-volumes", process.execPath, [PROVISIONER_SCRIPT, config]);
  return { provisioner: NODE_VOLUMES_PROVISIONER, image, mount, root, keyFile, keyIdentifier };
}
