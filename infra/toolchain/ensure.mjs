#!/usr/bin/env node
// Builds the project's Go toolchain (etcd, kube-apiserver, kube-controller-manager,
// pulumi, pulumi-resource-kubernetes, helm, and the node's kubelet, kube-proxy and
// kube-scheduler) into a cache outside the repository. Each Go module is cached under
// a hash of its own inputs (see manifest.mjs), so a change to one module rebuilds only
// that module; binaries already there are reused, so a second run is instant. One bin
// directory links every binary, for PATH.
//
// Usage: node infra/toolchain/ensure.mjs [--bin-dir] [--quiet] [--only name,name]
//   --bin-dir  print the bin directory and exit (builds nothing)
//   --quiet    print only progress of builds and errors
//   --only     build (and link) just these binaries
//
// Plain Node ESM with no dependencies: it runs before `npm ci` matters.

import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { setPriority } from "node:os";
import { join } from "node:path";
import {
  BINARIES,
  EARLIER_BUILDS,
  GO_BUILD_FLAGS,
  ldflagsFor,
  MODULES,
  moduleHash,
  moduleDir as moduleBuildDir,
  TOOLCHAIN_SRC,
  toolchainBinDir,
  toolchainDir,
  toolchainRoot,
  VERSIONS,
} from "./manifest.mjs";

const PROGRESS_EVERY_MS = 30_000;
/** Scheduling priority of the go command (and the compilers it starts). */
const BUILD_NICENESS = 10;
/** Builds of other versions unused for this long are removed. */
const PRUNE_AFTER_MS = 14 * 24 * 3600_000;
const argv = process.argv.slice(2);
const args = new Set(argv);
const quiet = args.has("--quiet");
const onlyArg = argv.find((a) => a.startsWith("--only"));
/** Binaries asked for: all, or those named by --only a,b (or --only a b). */
const wanted = (() => {
  if (!onlyArg) return new Set(BINARIES);
  const value = onlyArg.includes("=") ? onlyArg.slice(onlyArg.indexOf("=") + 1) : (argv[argv.indexOf(onlyArg) + 1] ?? "");
  const names = value.split(",").filter(Boolean);
  const unknown = names.filter((n) => !BINARIES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    console.error(`[toolchain] --only takes names among ${BINARIES.join(", ")}${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`);
    process.exit(2);
  }
  return new Set(names);
})();

const log = (msg) => console.log(`[toolchain] ${msg}`);
const fmt = (ms) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
};

class BuildError extends Error {}

/** A command line as it would be typed in a shell, for messages. */
const shellLine = (argv) => argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(" ");

/** Environment for the go command: static binaries, go.sum enforced, no VCS stamping. */
function goEnv() {
  return {
    ...process.env,
    CGO_ENABLED: "0",
    GOFLAGS: "-mod=readonly -buildvcs=false",
  };
}

function goVersion() {
  const r = spawnSync("go", ["version"], { encoding: "utf8", env: goEnv() });
  if (r.error || r.status !== 0) {
    throw new BuildError(`the Go toolchain is needed to build the binaries, but \`go version\` failed: ${r.error?.message ?? r.stderr}`);
  }
  return r.stdout.trim();
}

/** Runs a go command in a module directory, printing progress while it runs. */
function runGo(label, cwd, goArgs, logFile) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn("go", goArgs, { cwd, env: goEnv(), stdio: ["ignore", "pipe", "pipe"] });
    // Builds take minutes on two cores: leave the machine responsive for everything else.
    try {
      if (child.pid) setPriority(child.pid, BUILD_NICENESS);
    } catch {}
    let output = "";
    let compiled = 0;
    const onData = (chunk) => {
      const text = chunk.toString();
      output += text;
      // `go build -v` prints one import path per compiled package.
      for (const line of text.split("\n")) if (/^[\w.\-/~]+$/.test(line)) compiled++;
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const timer = setInterval(() => {
      log(`${label}: still building, ${fmt(Date.now() - started)} elapsed, ${compiled} packages compiled`);
    }, PROGRESS_EVERY_MS);
    child.on("error", (err) => {
      clearInterval(timer);
      reject(new BuildError(`${label}: could not run go: ${err.message}`));
    });
    child.on("close", (code, signal) => {
      clearInterval(timer);
      writeFileSync(logFile, `$ (cd ${cwd} && ${shellLine(["go", ...goArgs])})\n${output}`);
      if (code === 0) return resolve(Date.now() - started);
      const errors = output
        .split("\n")
        .filter((l) => l && !/^[\w.\-/~]+$/.test(l))
        .join("\n");
      reject(new BuildError(`${label}: \`${shellLine(["go", ...goArgs])}\` in ${cwd} failed (${signal ?? `exit ${code}`}):\n${errors}\n(full log: ${logFile})`));
    });
  });
}

/** Directory of a module in the Go module cache (downloading it if needed). */
function moduleDir(cwd, path) {
  const r = spawnSync("go", ["mod", "download", "-json", path], { cwd, encoding: "utf8", env: goEnv() });
  if (r.status !== 0) throw new BuildError(`go mod download ${path} failed:\n${r.stdout}${r.stderr}`);
  const info = JSON.parse(r.stdout);
  if (info.Error || !info.Dir) throw new BuildError(`go mod download ${path}: ${info.Error ?? "no Dir"}`);
  return info.Dir;
}

function writeIfChanged(file, content) {
  if (existsSync(file) && readFileSync(file, "utf8") === content) return;
  writeFileSync(file, content);
}

/**
 * The provider's upstream main embeds files generated at release time; generate the
 * same from the module's committed schema.json and terraform-mapping.json.
 */
function prepareKubernetesProvider(modDir) {
  const src = join(moduleDir(modDir, "github.com/pulumi/pulumi-kubernetes/provider/v4"), "cmd", "pulumi-resource-kubernetes");
  const schema = JSON.parse(readFileSync(join(src, "schema.json"), "utf8"));
  schema.version = VERSIONS.pulumiKubernetes;
  writeIfChanged(join(modDir, "schema.embed"), JSON.stringify(schema));
  const mapping = JSON.parse(readFileSync(join(src, "terraform-mapping.json"), "utf8"));
  writeIfChanged(join(modDir, "terraform-mapping.embed"), JSON.stringify(mapping));
}

const PREPARE = { "kubernetes-provider": prepareKubernetesProvider };

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === "EPERM";
  }
}

/** One build per toolchain directory at a time: others wait for it. */
async function withLock(dir, fn) {
  const lock = join(dir, ".lock");
  const started = Date.now();
  let lastNote = started;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== "EEXIST") throw err;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(join(lock, "pid"), "utf8"));
      } catch {}
      const age = Date.now() - (existsSync(lock) ? statSync(lock).mtimeMs : 0);
      if ((Number.isInteger(owner) && !pidAlive(owner)) || (Number.isNaN(owner) && age > 10_000)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - lastNote >= PROGRESS_EVERY_MS) {
        log(`waiting for another build (pid ${owner}), ${fmt(Date.now() - started)} so far`);
        lastNote = Date.now();
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const release = () => rmSync(lock, { recursive: true, force: true });
  process.once("exit", release);
  try {
    return await fn();
  } finally {
    release();
    process.removeListener("exit", release);
  }
}

/** Links (or copies) binaries of an earlier whole-toolchain build that match this module's hash. */
function adoptEarlierBuild(mod, bin) {
  const hash = moduleHash(mod);
  for (const earlier of EARLIER_BUILDS) {
    if (earlier.modules[mod.dir] !== hash) continue;
    const from = join(toolchainRoot(), earlier.dir, "bin");
    for (const b of mod.binaries) {
      const source = join(from, b.name);
      const target = join(bin, b.name);
      if (existsSync(target) || !existsSync(source) || statSync(source).size === 0) continue;
      try {
        linkSync(source, target);
      } catch {
        copyFileSync(source, target);
      }
      if (!quiet) log(`${b.name}: reused from ${from}`);
    }
  }
}

/** Builds the wanted binaries of one module that its cache directory lacks. */
async function buildModule(mod) {
  const dir = moduleBuildDir(mod);
  const bin = join(dir, "bin");
  const logs = join(dir, "logs");
  mkdirSync(bin, { recursive: true });
  mkdirSync(logs, { recursive: true });
  adoptEarlierBuild(mod, bin);
  const missing = mod.binaries.filter((b) => wanted.has(b.name) && !existsSync(join(bin, b.name)));
  if (missing.length === 0) return;

  await withLock(dir, async () => {
    const go = goVersion();
    const timesFile = join(dir, "build-times.json");
    const times = existsSync(timesFile) ? JSON.parse(readFileSync(timesFile, "utf8")) : {};
    const totalStart = Date.now();
    const modDir = join(TOOLCHAIN_SRC, mod.dir);
    log(`building ${missing.map((b) => b.name).join(", ")} with ${go} into ${bin}`);
    if (PREPARE[mod.dir]) PREPARE[mod.dir](modDir);
    for (const b of missing) {
      const target = join(bin, b.name);
      if (existsSync(target)) continue; // built meanwhile by the lock's previous owner
      const tmp = join(bin, `.${b.name}.${process.pid}.tmp`);
      log(`${b.name}: go build ${b.pkg}`);
      const goArgs = ["build", "-v", ...GO_BUILD_FLAGS, "-ldflags", ldflagsFor(b), "-o", tmp, b.pkg];
      try {
        const ms = await runGo(b.name, modDir, goArgs, join(logs, `${b.name}.log`));
        renameSync(tmp, target);
        times[b.name] = { seconds: Math.round(ms / 1000), at: new Date().toISOString(), go };
        writeFileSync(timesFile, `${JSON.stringify(times, null, 2)}\n`);
        log(`${b.name}: built in ${fmt(ms)}`);
      } finally {
        rmSync(tmp, { force: true });
      }
    }
    log(`${mod.dir}: done in ${fmt(Date.now() - totalStart)}`);
  });
}

/** Points bin/<name> of the toolchain directory at each wanted binary's module build. */
function linkBinaries() {
  const view = toolchainBinDir();
  mkdirSync(view, { recursive: true });
  for (const mod of MODULES) {
    for (const b of mod.binaries) {
      if (!wanted.has(b.name)) continue;
      const target = join(moduleBuildDir(mod), "bin", b.name);
      const link = join(view, b.name);
      let current;
      try {
        current = readlinkSync(link);
      } catch {}
      if (current === target) continue;
      rmSync(link, { force: true });
      symlinkSync(target, link);
    }
  }
}

async function buildMissing() {
  for (const mod of MODULES) {
    if (mod.binaries.some((b) => wanted.has(b.name))) await buildModule(mod);
  }
  linkBinaries();
  if (!quiet) log(`up to date: ${toolchainBinDir()}`);
}

function touch(file) {
  const now = new Date();
  if (existsSync(file)) utimesSync(file, now, now);
  else writeFileSync(file, "");
}

/** Removes entries of `parent` named like `pattern`, other than `keep`, unused for two weeks. */
function pruneUnder(parent, pattern, keep) {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const other = join(parent, name);
    if (keep.has(name) || !pattern.test(name)) continue;
    const used = join(other, "last-used");
    const last = existsSync(used) ? statSync(used).mtimeMs : statSync(other).mtimeMs;
    if (Date.now() - last > PRUNE_AFTER_MS && !existsSync(join(other, ".lock"))) {
      rmSync(other, { recursive: true, force: true });
      if (!quiet) log(`removed unused toolchain build ${other}`);
    }
  }
}

/** Marks this toolchain and its module builds as used and removes builds unused for two weeks. */
function markUsedAndPrune() {
  touch(join(toolchainDir(), "last-used"));
  const current = new Set();
  for (const mod of MODULES) {
    const dir = moduleBuildDir(mod);
    if (existsSync(dir)) touch(join(dir, "last-used"));
    current.add(`${mod.dir}-${moduleHash(mod)}`);
  }
  const root = toolchainRoot();
  pruneUnder(root, /^[0-9a-f]{16}$/, new Set([toolchainDir().slice(root.length + 1)]));
  pruneUnder(join(root, "modules"), /^[\w.-]+-[0-9a-f]{16}$/, current);
}

async function main() {
  if (args.has("--bin-dir")) {
    console.log(toolchainBinDir());
    return;
  }
  // Ctrl-C or a CI timeout: exit so the lock is released (the go child gets the
  // same signal from the terminal, or ends when its output pipe closes).
  for (const sig of ["SIGINT", "SIGTERM"]) process.once(sig, () => process.exit(130));
  await buildMissing();
  markUsedAndPrune();
}

main().catch((err) => {
  if (err instanceof BuildError) {
    console.error(`[toolchain] build failed: ${err.message}`);
  } else {
    console.error("[toolchain] build failed:", err);
  }
  process.exit(1);
});
