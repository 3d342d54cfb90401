// Images for the local node, built here from infra/images (no registry is reachable):
// static Go binaries, each packaged as a one-layer OCI image archive that
// `ctr images import` reads. Binaries and archives are cached under a hash of their
// sources, like the toolchain.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { toolchainRoot } from "../../toolchain/manifest.mjs";

const run = promisify(execFile);

/** infra/images: the Go module with the images' programs. */
export const IMAGES_SRC = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "images");

export interface ImageSpec {
  /** Reference the node knows the image by. */
  ref: string;
  /** Package (directory) in infra/images. */
  program: string;
  /** Path of the binary inside the image; the entrypoint. */
  path: string;
  /** Default arguments. */
  cmd?: string[];
  /** Further names for the same image (e.g. in the platform registry, which admission allows). */
  aliases?: string[];
}

export const PAUSE_IMAGE: ImageSpec = { ref: "zhengyun.local/pause:1", program: "pause", path: "/pause" };
/** Tenants' pods may run only images of the platform registry (registry-allowlist control). */
export const PLATFORM_PROBE = "registry.zhengyun.gov.cn/platform/probe";
export const PROBE_IMAGE: ImageSpec = {
  ref: "zhengyun.local/probe:1",
  program: "probe",
  path: "/probe",
  cmd: ["serve", "8080"],
  aliases: [`${PLATFORM_PROBE}:1`],
};
export const NODE_IMAGES: readonly ImageSpec[] = [PAUSE_IMAGE, PROBE_IMAGE];

/** One entry of a layer: a directory (name ends with "/"), a regular file, or a symbolic link. */
export interface TarEntry {
  name: string;
  data?: Buffer;
  mode?: number;
  /** Target of a symbolic link. */
  link?: string;
}

/**
 * An image whose one layer is a root file system assembled on this machine from Debian's
 * packages (see rootfs.ts), cached under the hash of its inputs.
 */
export interface RootfsImageSpec {
  kind: "rootfs";
  ref: string;
  /** File name of the cached archive. */
  name: string;
  entrypoint: string[];
  cmd?: string[];
  /** uid:gid the image runs as. */
  user: string;
  aliases?: string[];
  /** A hash of everything the layer is made of (package versions, file sizes and times, the assembling code). */
  inputsHash: () => Promise<string>;
  /** The layer's entries. */
  assemble: () => Promise<TarEntry[]>;
}

export type NodeImageSpec = ImageSpec | RootfsImageSpec;

export type BuiltImage = NodeImageSpec & {
  archive: string;
  /** Digest of the image manifest ("sha256:…"), for references pinned by digest. */
  digest: string;
  /** Seconds spent building (0 when the cache had it). */
  seconds: number;
};

/** One ustar header block for a regular file, symbolic link or directory (names up to 255 bytes). */
function tarHeader(name: string, size: number, mode: number, type: "0" | "2" | "5", link = ""): Buffer {
  const h = Buffer.alloc(512);
  let prefix = "";
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // ustar: a long name splits at a "/" into a prefix (155 bytes) and a name (100 bytes).
    const cut = name.lastIndexOf("/", name.length - 2);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
    if (cut < 0 || Buffer.byteLength(prefix) > 155 || Buffer.byteLength(base) > 100) throw new Error(`tar: name too long: ${name}`);
  }
  if (Buffer.byteLength(link) > 100) throw new Error(`tar: link target too long: ${link}`);
  h.write(base, 0, 100, "utf8");
  h.write(`${mode.toString(8).padStart(7, "0")}\0`, 100);
  h.write("0000000\0", 108); // uid
  h.write("0000000\0", 116); // gid
  h.write(`${size.toString(8).padStart(11, "0")}\0`, 124);
  h.write("00000000000\0", 136); // mtime: reproducible
  h.write("        ", 148); // checksum placeholder
  h.write(type, 156);
  h.write(link, 157, 100, "utf8");
  h.write("ustar\0", 257);
  h.write("00", 263);
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
  return h;
}

/** A tar archive of the given entries (directories end with "/"). */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    if (e.link !== undefined) {
      parts.push(tarHeader(e.name, 0, 0o777, "2", e.link));
      continue;
    }
    if (e.name.endsWith("/")) {
      parts.push(tarHeader(e.name, 0, e.mode ?? 0o755, "5"));
      continue;
    }
    const data = e.data ?? Buffer.alloc(0);
    parts.push(tarHeader(e.name, data.length, e.mode ?? 0o644, "0"), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/**
 * An OCI image archive (oci-layout, index.json, blobs) with one layer holding `binary` at
 * `spec.path`; the index names the image `spec.ref` for `ctr images import`.
 */
export function ociArchive(spec: ImageSpec, binary: Buffer): { archive: Buffer; digest: string } {
  return ociLayout(
    spec.ref,
    [{ name: spec.path.replace(/^\//, ""), data: binary, mode: 0o755 }],
    { Entrypoint: [spec.path], Cmd: spec.cmd ?? [], WorkingDir: "/", User: "65532:65532" },
    `zhengyun infra/images/${spec.program}`,
  );
}

/** An OCI image archive whose one layer holds `entries`. */
export function ociLayout(
  ref: string,
  entries: readonly TarEntry[],
  imageConfig: { Entrypoint: string[]; Cmd: string[]; WorkingDir: string; User: string },
  createdBy: string,
  gzipLevel = 9,
): { archive: Buffer; digest: string } {
  const layerTar = tarArchive(entries);
  const layer = gzipSync(layerTar, { level: gzipLevel });
  const config = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: imageConfig,
      rootfs: { type: "layers", diff_ids: [`sha256:${sha256(layerTar)}`] },
      history: [{ created_by: createdBy }],
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: `sha256:${sha256(config)}`, size: config.length },
      layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: `sha256:${sha256(layer)}`, size: layer.length }],
    }),
  );
  const tag = ref.slice(ref.lastIndexOf(":") + 1);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: `sha256:${sha256(manifest)}`,
          size: manifest.length,
          platform: { architecture: "amd64", os: "linux" },
          annotations: { "io.containerd.image.name": ref, "org.opencontainers.image.ref.name": tag },
        },
      ],
    }),
  );
  const blob = (data: Buffer) => ({ name: `blobs/sha256/${sha256(data)}`, data });
  const archive = tarArchive([
    { name: "oci-layout", data: Buffer.from('{"imageLayoutVersion":"1.0.0"}') },
    { name: "index.json", data: index },
    { name: "blobs/" },
    { name: "blobs/sha256/" },
    blob(config),
    blob(manifest),
    blob(layer),
  ]);
  return { archive, digest: `sha256:${sha256(manifest)}` };
}

/** Hash of the images' sources and of this packaging code. */
function sourcesHash(): string {
  const h = createHash("sha256");
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  const walk = (dir: string) => {
    for (const name of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, name.name);
      if (name.isDirectory()) walk(path);
      else h.update(`${path.slice(IMAGES_SRC.length)}\0`).update(readFileSync(path));
    }
  };
  walk(IMAGES_SRC);
  return h.digest("hex").slice(0, 16);
}

/** Builds (or reuses) the node's images and returns their archives. */
export async function buildNodeImages(images: readonly NodeImageSpec[] = NODE_IMAGES): Promise<BuiltImage[]> {
  const dir = join(toolchainRoot(), "images", sourcesHash());
  await mkdir(dir, { recursive: true });
  const built: BuiltImage[] = [];
  for (const spec of images) {
    if ("kind" in spec) {
      built.push(await buildRootfsImage(spec));
      continue;
    }
    const archive = join(dir, `${spec.program}.oci.tar`);
    const digestFile = `${archive}.digest`;
    if (existsSync(archive) && existsSync(digestFile)) {
      built.push({ ...spec, archive, digest: readFileSync(digestFile, "utf8").trim(), seconds: 0 });
      continue;
    }
    const started = Date.now();
    const binary = join(dir, spec.program);
    try {
      await run("nice", ["-n", "10", "go", "build", "-trimpath", "-ldflags", "-s -w", "-o", binary, `./${spec.program}`], {
        cwd: IMAGES_SRC,
        env: { ...process.env, CGO_ENABLED: "0", GOFLAGS: "-mod=readonly -buildvcs=false" },
      });
    } catch (err) {
      const e = err as Error & { stderr?: string };
      throw new Error(`building infra/images/${spec.program} failed: ${e.stderr || e.message}`);
    }
    const oci = ociArchive(spec, await readFile(binary));
    await writeFile(`${archive}.tmp`, oci.archive);
    await rename(`${archive}.tmp`, archive);
    await writeFile(digestFile, `${oci.digest}\n`);
    built.push({ ...spec, archive, digest: oci.digest, seconds: Math.round((Date.now() - started) / 100) / 10 });
  }
  return built;
}

/** Builds (or reuses) an image assembled from a root file system. */
async function buildRootfsImage(spec: RootfsImageSpec): Promise<BuiltImage> {
  const dir = join(toolchainRoot(), "images", `rootfs-${spec.name}-${await spec.inputsHash()}`);
  const archive = join(dir, `${spec.name}.oci.tar`);
  const digestFile = `${archive}.digest`;
  if (existsSync(archive) && existsSync(digestFile)) return { ...spec, archive, digest: readFileSync(digestFile, "utf8").trim(), seconds: 0 };
  const started = Date.now();
  await mkdir(dir, { recursive: true });
  const oci = ociLayout(
    spec.ref,
    await spec.assemble(),
    { Entrypoint: spec.entrypoint, Cmd: spec.cmd ?? [], WorkingDir: "/", User: spec.user },
    `zhengyun rootfs ${spec.name}`,
    6,
  );
  await writeFile(`${archive}.tmp`, oci.archive);
  await rename(`${archive}.tmp`, archive);
  await writeFile(digestFile, `${oci.digest}\n`);
  return { ...spec, archive, digest: oci.digest, seconds: Math.round((Date.now() - started) / 100) / 10 };
}
