/**
 * The browser UI is a Vite bundle in portal/dist/ui. A fresh clone has none, and a checkout that
 * moved on has an old one: before serving, the launchers build it when it is missing or older than
 * the sources it is made from. Images ship the bundle built (NODE_ENV=production skips this).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const PORTAL_DIR = fileURLToPath(new URL("../../", import.meta.url));
const REPO_DIR = path.dirname(path.resolve(PORTAL_DIR));

export const DEFAULT_UI_DIR = path.join(PORTAL_DIR, "dist", "ui");

/** What the bundle is made from: the UI, the code it shares with the server, the catalog, the build. */
export const UI_SOURCES = [
  path.join(PORTAL_DIR, "index.html"),
  path.join(PORTAL_DIR, "vite.config.ts"),
  path.join(PORTAL_DIR, "package.json"),
  path.join(PORTAL_DIR, "src", "ui"),
  path.join(PORTAL_DIR, "src", "shared"),
  path.join(PORTAL_DIR, "src", "domain"),
  path.join(REPO_DIR, "policies", "src"),
  path.join(REPO_DIR, "package-lock.json"),
];

export type BundleState = "missing" | "stale" | "fresh";

/** Pure: a bundle built at `builtAt` (undefined: none) against sources last changed at `sourcesAt`. */
export function bundleState(builtAt: number | undefined, sourcesAt: number): BundleState {
  if (builtAt === undefined) return "missing";
  return builtAt < sourcesAt ? "stale" : "fresh";
}

const isTest = (name: string) => /\.test\.tsx?$/.test(name);

/** Newest modification time under the given files and folders (tests excluded), 0 when none exist. */
export function newestMtime(paths: readonly string[]): number {
  let newest = 0;
  const visit = (p: string) => {
    let s: ReturnType<typeof statSync>;
    try {
      s = statSync(p);
    } catch {
      return;
    }
    if (s.isDirectory()) {
      for (const entry of readdirSync(p)) if (entry !== "node_modules" && !isTest(entry)) visit(path.join(p, entry));
    } else newest = Math.max(newest, s.mtimeMs);
  };
  for (const p of paths) visit(p);
  return newest;
}

function builtAt(uiDir: string): number | undefined {
  const index = path.join(uiDir, "index.html");
  return existsSync(index) ? statSync(index).mtimeMs : undefined;
}

export function uiBundleState(uiDir: string = DEFAULT_UI_DIR): BundleState {
  return bundleState(builtAt(uiDir), newestMtime(UI_SOURCES));
}

/**
 * Builds the UI into `uiDir` when it is missing or stale. The build goes to a sibling folder first
 * and replaces the old bundle only when complete, so a server never serves half a bundle and two
 * processes building at once both end with a whole one.
 */
export function ensureUiBundle(options: { uiDir?: string; log?: (message: string) => void } = {}): BundleState {
  const uiDir = path.resolve(options.uiDir ?? DEFAULT_UI_DIR);
  const log = options.log ?? ((m: string) => console.log(m));
  // Without the portal's sources (an installed image) there is nothing to build from.
  if (!existsSync(path.join(PORTAL_DIR, "vite.config.ts"))) return "fresh";
  const state = uiBundleState(uiDir);
  if (state === "fresh") return state;
  log(
    state === "missing"
      ? `building the web UI into ${uiDir} (first start; about a minute)…`
      : `the web UI sources changed since ${uiDir} was built: rebuilding (about a minute)…`,
  );
  const staging = `${uiDir}.building-${process.pid}`;
  const started = Date.now();
  // NODE_ENV=production: Vite would otherwise bundle React's development build under test runners.
  const r = spawnSync("npx", ["vite", "build", "--outDir", staging, "--emptyOutDir", "--logLevel", "warn"], {
    cwd: PORTAL_DIR,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) {
    rmSync(staging, { recursive: true, force: true });
    throw new Error(`building the web UI failed (npx vite build in ${PORTAL_DIR}, exit ${r.status ?? r.signal})`);
  }
  rmSync(uiDir, { recursive: true, force: true });
  try {
    renameSync(staging, uiDir);
  } catch (err) {
    // Another process put its whole bundle there between our removal and our rename: keep it.
    rmSync(staging, { recursive: true, force: true });
    if (builtAt(uiDir) === undefined) throw err;
  }
  log(`web UI built in ${Math.round((Date.now() - started) / 1000)} s`);
  return state;
}
