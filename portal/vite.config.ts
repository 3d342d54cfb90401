import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import react from "@vitejs/plugin-react";
import { defineConfig, type Plugin } from "vite";

/** Where `npm run dev` sends API and SSO calls: the portal started with `npm start`. */
const portalUrl = process.env.ZHENGYUN_PORTAL_URL ?? "http://127.0.0.1:8080";

/** Gzipped JavaScript a first visit may download before any lazy page loads. */
const INITIAL_JS_BUDGET_KB = 500;

/**
 * echarts-for-react's ESM build imports `tslib` without declaring it; point it at the copy
 * echarts itself depends on so the import resolves wherever npm placed it.
 */
function tslibFromEcharts(): string {
  const fromHere = createRequire(import.meta.url);
  const fromEcharts = createRequire(fromHere.resolve("echarts"));
  return join(dirname(fromEcharts.resolve("tslib")), "tslib.es6.js");
}

interface ChunkInfo {
  fileName: string;
  isEntry: boolean;
  imports: string[];
  gzip: number;
  raw: number;
}

/**
 * Prints every JavaScript chunk with its gzipped size, then the initial load (entry plus its
 * static imports), and fails the build when the initial load exceeds the budget.
 */
function bundleBudget(budgetKb: number): Plugin {
  return {
    name: "zhengyun-bundle-budget",
    apply: "build",
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const out of Object.values(bundle)) {
        if (out.type !== "chunk") continue;
        const bytes = Buffer.from(out.code);
        chunks.set(out.fileName, { fileName: out.fileName, isEntry: out.isEntry, imports: out.imports, raw: bytes.length, gzip: gzipSync(bytes).length });
      }
      const initial = new Set<string>();
      const visit = (name: string) => {
        if (initial.has(name)) return;
        initial.add(name);
        for (const dep of chunks.get(name)?.imports ?? []) visit(dep);
      };
      for (const c of chunks.values()) if (c.isEntry) visit(c.fileName);

      const kb = (n: number) => `${(n / 1024).toFixed(1).padStart(8)} KB`;
      const rows = [...chunks.values()].sort((a, b) => b.gzip - a.gzip);
      const lines = rows.map((c) => `  ${initial.has(c.fileName) ? "initial" : "lazy   "} ${kb(c.raw)} ${kb(c.gzip)} gzip  ${c.fileName}`);
      const initialGzip = rows.filter((c) => initial.has(c.fileName)).reduce((s, c) => s + c.gzip, 0);
      const lazyGzip = rows.filter((c) => !initial.has(c.fileName)).reduce((s, c) => s + c.gzip, 0);
      console.log(`\nJavaScript bundle sizes (raw, gzip):\n${lines.join("\n")}`);
      console.log(`  initial load: ${kb(initialGzip).trim()} gzip (budget ${budgetKb} KB); lazy chunks: ${kb(lazyGzip).trim()} gzip\n`);
      if (initialGzip > budgetKb * 1024) this.error(`initial JavaScript is ${(initialGzip / 1024).toFixed(1)} KB gzipped, over the ${budgetKb} KB budget`);
    },
  };
}

/** Workspaces the server runs; the UI gets their data over tRPC (and their types through AppRouter). */
const SERVER_ONLY_WORKSPACES = { "@zhengyun/policies": "../policies/" } as const;

/**
 * Pure modules of those workspaces the UI may bundle: they import nothing. The egress allow-list
 * grammar checks a destination as the applicant types it, with the words the server will use.
 */
const UI_SHARED_MODULES = { "@zhengyun/policies/egress-allowlist": "../policies/src/egress/allowlist.ts" } as const;

/**
 * Fails the build, and the dev server's request, when the UI would bundle a server-only workspace:
 * by its package name, or by a path into its folder.
 */
function serverOnly(workspaces: Readonly<Record<string, string>>, shared: Readonly<Record<string, string>>): Plugin {
  const here = dirname(fileURLToPath(import.meta.url));
  const folders = Object.values(workspaces).map((rel) => join(here, rel));
  const names = Object.keys(workspaces);
  const sharedFiles = new Set(Object.values(shared).map((rel) => join(here, rel)));
  const refuse = (what: string, importer: string | undefined) =>
    `${importer ?? "the UI"} imports ${what}, which runs on the server only: fetch what the page needs over tRPC`;
  return {
    name: "zhengyun-server-only",
    enforce: "pre",
    resolveId(source, importer) {
      if (source in shared) return null;
      if (names.some((n) => source === n || source.startsWith(`${n}/`))) this.error(refuse(source, importer));
      return null;
    },
    load(id) {
      if (sharedFiles.has(id)) return null;
      if (folders.some((f) => id.startsWith(f))) this.error(refuse(id, undefined));
      return null;
    },
  };
}

export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  plugins: [serverOnly(SERVER_ONLY_WORKSPACES, UI_SHARED_MODULES), react(), bundleBudget(INITIAL_JS_BUDGET_KB)],
  resolve: { alias: { tslib: tslibFromEcharts() } },
  build: {
    outDir: "dist/ui",
    emptyOutDir: true,
    // Sizes are checked against the initial-load budget above, not per chunk.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    host: "127.0.0.1",
    port: 5173,
    proxy: { "/trpc": portalUrl, "/auth": portalUrl, "/evidence": portalUrl },
  },
});
