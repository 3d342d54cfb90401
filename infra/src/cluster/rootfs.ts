// Root file systems assembled from Debian packages installed on this machine: the files
// `dpkg -L` lists for the chosen packages (less documentation and service-manager glue),
// the shared libraries their programs load (as `ldd` resolves them), and a minimal /etc.
// No registry and no network are needed; the layer is cached under a hash of the package
// versions, the files' sizes and times, and this code.
//
// The egress gateway's image (Debian's Squid) is the first such image.

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname, posix } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import type { RootfsImageSpec, TarEntry } from "./images.js";

const run = promisify(execFile);

export interface RootfsRecipe {
  /** Debian packages whose files make up the image. */
  packages: string[];
  /** Paths (prefixes) of those packages left out. */
  exclude: string[];
  /** Paths kept although under an excluded prefix. */
  keep: string[];
  /** Programs whose shared libraries are added. */
  programs: string[];
  /** Accounts of /etc/passwd and /etc/group: name, uid (= gid), home. */
  accounts: { name: string; id: number; home: string }[];
  /** Empty directories the image needs (writable ones are volumes in the pod). */
  directories: string[];
}

/** Never part of an image: documentation, init scripts, unit files, security-module profiles. */
const ALWAYS_EXCLUDED = [
  "/usr/share/doc",
  "/usr/share/man",
  "/usr/share/lintian",
  "/usr/share/bug",
  "/etc/init.d",
  "/lib/systemd",
  "/usr/lib/systemd",
  "/etc/apparmor.d",
  "/etc/logrotate.d",
  "/etc/ufw",
  "/etc/resolvconf",
];

const excluded = (path: string, prefixes: readonly string[]) => prefixes.some((p) => path === p || path.startsWith(`${p}/`));

/** The package files of the recipe that exist on this machine (directories and symbolic links included). */
async function packageFiles(recipe: RootfsRecipe): Promise<string[]> {
  const { stdout } = await run("dpkg", ["-L", ...recipe.packages], { maxBuffer: 64 * 1024 * 1024 });
  const skip = [...ALWAYS_EXCLUDED, ...recipe.exclude];
  const wanted = (p: string) => !excluded(p, skip) || recipe.keep.some((k) => k === p || k.startsWith(`${p}/`));
  return [...new Set(stdout.split("\n").filter((p) => p.startsWith("/") && p !== "/." && wanted(p)))].sort();
}

/** The shared libraries (and the loader) the programs load, as `ldd` resolves them. */
async function sharedLibraries(programs: readonly string[]): Promise<string[]> {
  const libs = new Set<string>();
  for (const program of programs) {
    const { stdout } = await run("ldd", [program]);
    for (const line of stdout.split("\n")) {
      const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
      if (m?.[1]) libs.add(m[1]);
    }
  }
  return [...libs].sort();
}

/** Whether a path of the machine is a directory reached through a symbolic link (merged /usr). */
function viaLink(path: string): string {
  // /lib/x86_64-linux-gnu/libc.so.6 → /usr/lib/x86_64-linux-gnu/libc.so.6 on a merged-/usr system.
  return posix.join(realpathSync(dirname(path)), posix.basename(path));
}

/** The versions of the recipe's packages and of the packages owning its libraries. */
async function inputs(recipe: RootfsRecipe): Promise<string> {
  const h = createHash("sha256");
  h.update(readFileSync(fileURLToPath(import.meta.url)));
  h.update(JSON.stringify(recipe));
  // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own field syntax
  const { stdout } = await run("dpkg-query", ["-W", "-f", "${Package} ${Version}\\n", ...recipe.packages]);
  h.update(stdout);
  for (const path of [...(await packageFiles(recipe)), ...(await sharedLibraries(recipe.programs))]) {
    try {
      const st = lstatSync(path);
      h.update(`${path} ${st.size} ${st.mtimeMs} ${st.mode}\n`);
    } catch {
      h.update(`${path} missing\n`);
    }
  }
  return h.digest("hex").slice(0, 16);
}

/** The layer's entries: parent directories first, then files, links and the generated /etc. */
async function assemble(recipe: RootfsRecipe): Promise<TarEntry[]> {
  const entries = new Map<string, TarEntry>();
  const addDirs = (path: string) => {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = `${parts.slice(0, i).join("/")}/`;
      if (!entries.has(dir)) entries.set(dir, { name: dir, mode: 0o755 });
    }
  };
  // Debian's merged /usr: /lib and /lib64 are links into /usr.
  entries.set("lib", { name: "lib", link: "usr/lib" });
  entries.set("lib64", { name: "lib64", link: "usr/lib64" });
  const normalise = (path: string) => {
    for (const top of ["/lib/", "/lib64/", "/bin/", "/sbin/"]) if (path.startsWith(top)) return `/usr${path}`;
    return path;
  };
  for (const path of await packageFiles(recipe)) {
    const st = lstatSync(path);
    const name = normalise(path).slice(1);
    if (name === "lib" || name === "lib64" || name === "usr") continue;
    addDirs(name);
    if (st.isSymbolicLink()) entries.set(name, { name, link: readlinkSync(path) });
    else if (st.isDirectory()) entries.set(`${name}/`, { name: `${name}/`, mode: st.mode & 0o7777 });
    else if (st.isFile()) entries.set(name, { name, data: readFileSync(path), mode: st.mode & 0o7777 });
  }
  for (const lib of await sharedLibraries(recipe.programs)) {
    // Stored under the name the loader asks for (the soname), with the real file's content.
    const name = normalise(lib.startsWith("/lib64/") ? lib : viaLink(lib)).slice(1);
    addDirs(name);
    entries.set(name, { name, data: readFileSync(realpathSync(lib)), mode: statSync(lib).mode & 0o7777 });
  }
  for (const dir of recipe.directories) {
    const name = `${dir.replace(/^\/|\/$/g, "")}/`;
    addDirs(name);
    entries.set(name, { name, mode: dir === "/tmp" ? 0o1777 : 0o755 });
  }
  const passwd = recipe.accounts.map((a) => `${a.name}:x:${a.id}:${a.id}:${a.name}:${a.home}:/usr/sbin/nologin`).join("\n");
  const group = recipe.accounts.map((a) => `${a.name}:x:${a.id}:`).join("\n");
  addDirs("etc/passwd");
  entries.set("etc/passwd", { name: "etc/passwd", data: Buffer.from(`root:x:0:0:root:/root:/usr/sbin/nologin\n${passwd}\n`) });
  entries.set("etc/group", { name: "etc/group", data: Buffer.from(`root:x:0:\n${group}\n`) });
  // Directories before their contents, each once.
  return [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export function rootfsImage(spec: Omit<RootfsImageSpec, "kind" | "inputsHash" | "assemble">, recipe: RootfsRecipe): RootfsImageSpec {
  return { ...spec, kind: "rootfs", inputsHash: () => inputs(recipe), assemble: () => assemble(recipe) };
}

/** Debian's proxy account (uid and gid 13), which the gateway runs as. */
export const PROXY_UID = 13;

/** The egress gateway: Debian's Squid (GnuTLS flavour), its error pages, nothing else. */
export const SQUID_RECIPE: RootfsRecipe = {
  packages: ["squid", "squid-common", "squid-langpack"],
  // Authentication helpers and the cache-manager CGI are not used (and pull in many libraries);
  // Squid starts its unlink helper even without a disk cache.
  exclude: ["/usr/lib/squid", "/usr/lib/cgi-bin", "/usr/bin", "/etc/squid/conf.d", "/etc/squid/squid.conf", "/var/spool", "/var/log"],
  keep: ["/usr/lib/squid/unlinkd", "/usr/lib/squid/log_file_daemon"],
  programs: ["/usr/sbin/squid", "/usr/lib/squid/unlinkd", "/usr/lib/squid/log_file_daemon"],
  accounts: [
    { name: "proxy", id: PROXY_UID, home: "/bin" },
    { name: "nogroup", id: 65534, home: "/nonexistent" },
  ],
  directories: ["/tmp", "/run/squid", "/var/spool/squid", "/var/log/squid"],
};

/** Tenants' and the platform's pods may run only images of the platform registry. */
export const PLATFORM_EGRESS_GATEWAY = "registry.zhengyun.gov.cn/platform/egress-gateway";

export const EGRESS_GATEWAY_IMAGE: RootfsImageSpec = rootfsImage(
  {
    ref: "zhengyun.local/egress-gateway:1",
    name: "egress-gateway",
    entrypoint: ["/usr/sbin/squid"],
    cmd: ["-N", "-d", "1", "-f", "/etc/zhengyun-egress/squid.conf"],
    user: `${PROXY_UID}:${PROXY_UID}`,
    aliases: [`${PLATFORM_EGRESS_GATEWAY}:1`],
  },
  SQUID_RECIPE,
);
