#!/usr/bin/env node
// Builds the project's Go toolchain (etcd, kube-apiserver, kube-controller-manager,
// pulumi, pulumi-resource-kubernetes, helm) into a cache outside the repository,
// keyed by a hash of the Go modules and this script. Binaries already there are
// reused, so a second run is instant.
//
// Usage: node infra/toolchain/ensure.mjs [--bin-dir] [--quiet]
//   --bin-dir  print the bin directory and exit (builds nothing)
//   --quiet    print only progress of builds and errors
//
// Plain Node ESM with no dependencies: it runs before `npm ci` matters.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { GO_BUILD_FLAGS, ldflagsFor, MODULES, TOOLCHAIN_SRC, toolchainBinDir, toolchainDir, toolchainRoot, VERSIONS } from "./manifest.mjs";

const PROGRESS_EVERY_MS = 30_000;
/** Builds of other versions unused for this long are removed. */
const PRUNE_AFTER_MS = 14 * 24 * 3600_000;
const args = new Set(process.argv.slice(2));
const quiet = args.has("--quiet");

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

async function buildMissing() {
  const dir = toolchainDir();
  const bin = toolchainBinDir();
  const logs = join(dir, "logs");
  mkdirSync(bin, { recursive: true });
  mkdirSync(logs, { recursive: true });

  const missing = MODULES.flatMap((mod) => mod.binaries.filter((b) => !existsSync(join(bin, b.name))).map((b) => ({ mod, b })));
  if (missing.length === 0) {
    if (!quiet) log(`up to date: ${bin}`);
    return;
  }

  await withLock(dir, async () => {
    const go = goVersion();
    const timesFile = join(dir, "build-times.json");
    const times = existsSync(timesFile) ? JSON.parse(readFileSync(timesFile, "utf8")) : {};
    const totalStart = Date.now();
    const prepared = new Set();
    log(`building ${missing.map((m) => m.b.name).join(", ")} with ${go} into ${bin}`);
    for (const { mod, b } of missing) {
      const target = join(bin, b.name);
      if (existsSync(target)) continue; // built meanwhile by the lock's previous owner
      const modDir = join(TOOLCHAIN_SRC, mod.dir);
      if (PREPARE[mod.dir] && !prepared.has(mod.dir)) {
        PREPARE[mod.dir](modDir);
        prepared.add(mod.dir);
      }
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
    log(`done in ${fmt(Date.now() - totalStart)}: ${bin}`);
  });
}

/** Marks this build as used and removes builds of other versions unused for two weeks. */
function markUsedAndPrune() {
  const dir = toolchainDir();
  const stamp = join(dir, "last-used");
  const now = new Date();
  if (existsSync(stamp)) utimesSync(stamp, now, now);
  else writeFileSync(stamp, "");
  const root = toolchainRoot();
  for (const name of readdirSync(root)) {
    const other = join(root, name);
    if (name === basename(dir) || !/^[0-9a-f]{16}$/.test(name)) continue;
    const used = join(other, "last-used");
    const last = existsSync(used) ? statSync(used).mtimeMs : statSync(other).mtimeMs;
    if (Date.now() - last > PRUNE_AFTER_MS && !existsSync(join(other, ".lock"))) {
      rmSync(other, { recursive: true, force: true });
      if (!quiet) log(`removed unused toolchain build ${other}`);
    }
  }
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
