// The project's own image (the repository's Dockerfile: portal, controller, migration), built here
// without a daemon by podman, for the local node. No registry is reachable, so:
//
// - the base image is assembled locally: a Debian bookworm rootfs made by mmdebstrap from the
//   machine's configured Debian mirror, plus the machine's Node.js (binary and npm) where the public
//   `node:20-bookworm-slim` image has them; it is passed as `--build-arg NODE_IMAGE`;
// - the Dockerfile's `pulumi` stage (Go) is replaced by the toolchain's own binaries, built from the
//   same infra/toolchain modules with the same script: `--build-context pulumi=<dir>` names a
//   directory holding out/pulumi and out/pulumi-resource-kubernetes (the Dockerfile says so);
// - npm packages and Debian packages come over the build container's host network, which may pass
//   a TLS-inspecting proxy: the local base trusts the machine's CA bundle.
//
// Production builds keep the Dockerfile's defaults (the public base images). The image is saved as an
// OCI archive cached under a hash of what goes into it (Dockerfile, .dockerignore, every file of the
// build context, the base and the pulumi binaries), like the toolchain, so a second run builds nothing.

import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { copyFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { toolchainRoot } from "../../toolchain/manifest.mjs";
import { toolPath } from "../toolchain.js";

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
/** Level 3 and 4 namespaces admit only images of the platform registry. */
export const APP_IMAGE_REPOSITORY = "registry.zhengyun.gov.cn/zhengyun/zhengyun";
/** Debian packages the build needs, and a command of each. */
export const IMAGE_BUILD_PACKAGES: Readonly<Record<string, string>> = { podman: "podman", mmdebstrap: "mmdebstrap" };
/** Bump when a change here changes what the base or the build produces. */
const RECIPE = 1;

export interface AppImage {
  /** `<repository>:<tag>`, the name the OCI archive carries. */
  ref: string;
  repository: string;
  tag: string;
  /** Digest of the image manifest in the archive ("sha256:…"): what `ctr images import` stores. */
  digest: string;
  archive: string;
  /** Seconds spent now on the base and on the build + save (0 when cached). */
  baseSeconds: number;
  buildSeconds: number;
}

const sha = (...parts: (string | Buffer)[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p).update("\0");
  return h.digest("hex").slice(0, 16);
};

/** The podman command line with this cache's own storage (vfs: no overlay mount needed). */
export function podmanArgs(): string[] {
  const dir = join(toolchainRoot(), "podman");
  return [
    "--root",
    join(dir, "storage"),
    "--runroot",
    join(dir, "run"),
    "--storage-driver",
    process.env.ZHENGYUN_PODMAN_STORAGE_DRIVER ?? "vfs",
    // PID 1 is not systemd here.
    "--cgroup-manager",
    "cgroupfs",
    "--events-backend",
    "file",
  ];
}

async function podman(args: string[], timeoutMs = 3_600_000): Promise<string> {
  try {
    const r = await run("nice", ["-n", "10", "podman", ...podmanArgs(), ...args], { maxBuffer: 256 * 1024 * 1024, timeout: timeoutMs });
    return r.stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string; stdout?: string };
    throw new Error(`podman ${args[0]} failed: ${e.message}\n${(e.stdout ?? "").slice(-4000)}\n${(e.stderr ?? "").slice(-4000)}`);
  }
}

/** The Debian packages (of IMAGE_BUILD_PACKAGES) whose command is missing. */
export function missingImageBuildPackages(): string[] {
  return Object.entries(IMAGE_BUILD_PACKAGES)
    .filter(([, cmd]) => spawnSync("sh", ["-c", `command -v ${cmd}`]).status !== 0)
    .map(([pkg]) => pkg);
}

/** The machine's Debian mirror for bookworm (apt's deb822 or one-line sources), else deb.debian.org. */
export function debianMirror(sources: string[] = aptSources()): string {
  for (const text of sources) {
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = stanza.match(/^URIs:\s*(\S+)/m)?.[1];
      const suites = stanza.match(/^Suites:\s*(.+)$/m)?.[1]?.split(/\s+/) ?? [];
      if (uri && suites.includes("bookworm")) return uri;
    }
    const line = text.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m)?.[1];
    if (line) return line;
  }
  return "http://deb.debian.org/debian";
}

function aptSources(): string[] {
  const files = ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"];
  return files.filter((f) => existsSync(f)).map((f) => readFileSync(f, "utf8"));
}

/** The machine's CA bundle (what its own node and npm trust). */
const CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

/** Where the machine's Node.js lives: the binary and npm's package directory. */
function machineNode(): { binary: string; npm: string; version: string } {
  const binary = realpathSync(process.execPath);
  const npmCli = spawnSync("sh", ["-c", "command -v npm"], { encoding: "utf8" }).stdout.trim();
  if (!npmCli) throw new Error("npm is not on PATH");
  // …/node_modules/npm/bin/npm-cli.js → …/node_modules/npm
  const npm = resolve(dirname(realpathSync(npmCli)), "..");
  return { binary, npm, version: process.version };
}

/**
 * `zhengyun.local/node-base:<hash>`: Debian bookworm (minbase + libstdc++6, which node links) with
 * the machine's node in /usr/local/bin and npm in /usr/local/lib/node_modules, as in the public
 * node image. Built once per Node.js version, mirror and CA bundle.
 */
export async function ensureBaseImage(log: (m: string) => void = () => {}): Promise<{ ref: string; seconds: number }> {
  const node = machineNode();
  const mirror = debianMirror();
  const ca = existsSync(CA_BUNDLE) ? readFileSync(CA_BUNDLE) : Buffer.alloc(0);
  const ref = `zhengyun.local/node-base:${sha(String(RECIPE), node.version, statSync(node.binary).size.toString(), mirror, ca)}`;
  if (spawnSync("podman", [...podmanArgs(), "image", "exists", ref]).status === 0) return { ref, seconds: 0 };
  const started = Date.now();
  const work = join(toolchainRoot(), "podman", "base-work");
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const tarball = join(work, "rootfs.tar");
  log(`assembling ${ref} from ${mirror} and node ${node.version}`);
  // Hooks run on the host with the rootfs as $1.
  const customize = [
    `install -D -m 0755 '${node.binary}' "$1/usr/local/bin/node"`,
    `mkdir -p "$1/usr/local/lib/node_modules" && cp -a '${node.npm}' "$1/usr/local/lib/node_modules/npm"`,
    'ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"',
    'ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"',
    // The machine's trust: registries may be reached through a TLS-inspecting proxy here.
    ...(ca.length > 0 ? [`install -D -m 0644 '${CA_BUNDLE}' "$1/usr/local/share/zhengyun/machine-ca.crt"`] : []),
  ];
  try {
    await run(
      "nice",
      [
        "-n",
        "10",
        "mmdebstrap",
        "--mode=root",
        "--variant=minbase",
        "--include=libstdc++6",
        "--dpkgopt=path-exclude=/usr/share/doc/*",
        "--dpkgopt=path-exclude=/usr/share/man/*",
        "--dpkgopt=path-exclude=/usr/share/locale/*",
        ...customize.map((c) => `--customize-hook=${c}`),
        "bookworm",
        tarball,
        mirror,
      ],
      { maxBuffer: 64 * 1024 * 1024, timeout: 1_800_000 },
    );
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`mmdebstrap failed: ${e.message}\n${(e.stderr ?? "").slice(-4000)}`);
  }
  const changes = ['CMD ["node"]', ...(ca.length > 0 ? ["ENV NODE_EXTRA_CA_CERTS=/usr/local/share/zhengyun/machine-ca.crt"] : [])];
  await podman(["import", ...changes.flatMap((c) => ["--change", c]), tarball, ref]);
  await rm(work, { recursive: true, force: true });
  return { ref, seconds: Math.round((Date.now() - started) / 100) / 10 };
}

/**
 * .dockerignore lines as git pathspecs that exclude them (a line names a path or any path below it).
 */
export function dockerignorePathspecs(dockerignore: string): string[] {
  const out: string[] = [];
  for (const raw of dockerignore.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("!")) throw new Error(`.dockerignore exceptions are not supported here: ${line}`);
    out.push(`:(exclude,glob)${line}`, `:(exclude,glob)${line}/**`);
  }
  return out;
}

/** Hash of the build context as the Dockerfile sees it (tracked and untracked files, less .dockerignore). */
function contextHash(): string {
  const dockerignore = readFileSync(join(REPO_ROOT, ".dockerignore"), "utf8");
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", ".", ...dockerignorePathspecs(dockerignore)], {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`);
  const h = createHash("sha256");
  for (const file of [...new Set(listed.stdout.split("\0").filter(Boolean))].sort()) {
    const path = join(REPO_ROOT, file);
    if (!existsSync(path)) continue; // deleted in the work tree
    h.update(`${file}\0`).update(readFileSync(path)).update("\0");
  }
  return h.digest("hex").slice(0, 16);
}

/** The image tag: the chart's appVersion and the inputs' hash. */
function appVersion(): string {
  return readFileSync(join(REPO_ROOT, "charts", "zhengyun", "Chart.yaml"), "utf8").match(/^appVersion:\s*"?([^"\s]+)"?/m)?.[1] ?? "0.0.0";
}

/** The manifest digest an OCI archive's index names (what ctr stores on import). */
export function ociArchiveDigest(archive: string): string {
  const r = spawnSync("tar", ["-xOf", archive, "index.json"], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`reading index.json of ${archive}: ${r.stderr}`);
  const digest = (JSON.parse(r.stdout) as { manifests?: { digest?: string }[] }).manifests?.[0]?.digest;
  if (!digest?.startsWith("sha256:")) throw new Error(`${archive} names no manifest`);
  return digest;
}

/**
 * Builds (or reuses) the project's image from the repository's Dockerfile and returns its OCI archive.
 */
export async function buildAppImage(log: (m: string) => void = () => {}): Promise<AppImage> {
  const missing = missingImageBuildPackages();
  if (missing.length > 0) throw new Error(`building the image needs Debian packages: apt-get install ${missing.join(" ")}`);
  const base = await ensureBaseImage(log);
  const pulumi = ["pulumi", "pulumi-resource-kubernetes"].map((n) => realpathSync(toolPath(n as "pulumi")));
  const key = sha(
    String(RECIPE),
    readFileSync(join(REPO_ROOT, "Dockerfile")),
    readFileSync(join(REPO_ROOT, ".dockerignore")),
    contextHash(),
    base.ref,
    ...pulumi,
  );
  const tag = `${appVersion()}-local.${key}`;
  const ref = `${APP_IMAGE_REPOSITORY}:${tag}`;
  const dir = join(toolchainRoot(), "app-image", key);
  const archive = join(dir, "zhengyun.oci.tar");
  const result = (buildSeconds: number): AppImage => ({
    ref,
    repository: APP_IMAGE_REPOSITORY,
    tag,
    digest: ociArchiveDigest(archive),
    archive,
    baseSeconds: base.seconds,
    buildSeconds,
  });
  if (existsSync(archive)) return result(0);

  const started = Date.now();
  await rm(dir, { recursive: true, force: true });
  // The `pulumi` stage's output, as the Dockerfile's COPY --from=pulumi reads it: /out/<binary>.
  const pulumiContext = join(dir, "pulumi");
  await mkdir(join(pulumiContext, "out"), { recursive: true });
  for (const binary of pulumi) await copyFile(binary, join(pulumiContext, "out", binary.slice(binary.lastIndexOf("/") + 1)));
  // The build containers may not raise their open-files limit above this process's (no CAP_SYS_RESOURCE).
  const nofile = spawnSync("sh", ["-c", "ulimit -Hn"], { encoding: "utf8" }).stdout.trim() || "1024";
  log(`building ${ref}`);
  await podman([
    "build",
    "--file",
    join(REPO_ROOT, "Dockerfile"),
    "--tag",
    ref,
    "--build-arg",
    `NODE_IMAGE=${base.ref}`,
    "--build-context",
    `pulumi=${pulumiContext}`,
    "--network",
    "host",
    `--ulimit=nofile=${nofile}:${nofile}`,
    "--ulimit=nproc=4096:4096",
    // One commit per stage instead of one per instruction: with vfs each commit copies the tree.
    "--layers=false",
    "--pull=never",
    REPO_ROOT,
  ]);
  const tmp = `${archive}.tmp`;
  await podman(["save", "--format", "oci-archive", "--output", tmp, ref]);
  await rename(tmp, archive);
  await rm(pulumiContext, { recursive: true, force: true });
  // The archive is the cache: drop the copy in podman's storage and archives of older inputs.
  await podman(["rmi", ref]);
  for (const other of readdirSync(dirname(dir))) {
    if (other !== key) await rm(join(dirname(dir), other), { recursive: true, force: true });
  }
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  await writeFile(join(dir, "build.json"), `${JSON.stringify({ ref, seconds, base: base.ref, at: new Date().toISOString() })}\n`);
  return result(seconds);
}

/** Reads the build record of a cached image (how long its cold build took). */
export async function buildRecord(image: AppImage): Promise<{ seconds: number } | undefined> {
  const file = join(dirname(image.archive), "build.json");
  return existsSync(file) ? (JSON.parse(await readFile(file, "utf8")) as { seconds: number }) : undefined;
}
