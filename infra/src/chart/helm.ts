// The chart under test, rendered and linted with the toolchain's Helm binary.

import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAllYaml } from "@kubernetes/client-node";
import { toolPath } from "../toolchain.js";
import { type RunResult, run } from "./run.js";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const chartDir = join(repoRoot, "charts", "zhengyun");

/** A rendered Kubernetes object, as plain JSON. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** The chart's CI scenarios: ci/<name>-values.yaml. */
export function scenarios(): { name: string; file: string }[] {
  return readdirSync(join(chartDir, "ci"))
    .filter((f) => f.endsWith("-values.yaml"))
    .sort()
    .map((f) => ({ name: f.replace(/-values\.yaml$/, ""), file: join(chartDir, "ci", f) }));
}

// Helm keeps its repositories, cache and plugins here, not in the user's home.
const helmHome = mkdtempSync(join(tmpdir(), "zhengyun-helm-"));
const helmEnv: NodeJS.ProcessEnv = {
  ...process.env,
  HELM_CACHE_HOME: join(helmHome, "cache"),
  HELM_CONFIG_HOME: join(helmHome, "config"),
  HELM_DATA_HOME: join(helmHome, "data"),
};

export function helm(args: readonly string[], timeoutMs?: number): Promise<RunResult> {
  return run(toolPath("helm"), args, { env: helmEnv, timeoutMs });
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  valuesFiles?: readonly string[];
  /** Values passed with --set, e.g. { "portal.replicas": 3 }. */
  set?: Record<string, string | number | boolean>;
}

function valueArgs(options: RenderOptions): string[] {
  const args: string[] = [];
  for (const file of options.valuesFiles ?? []) args.push("-f", file);
  for (const [key, value] of Object.entries(options.set ?? {})) args.push("--set", `${key}=${value}`);
  return args;
}

/** `helm template`, hooks included; the raw result (for tests of refusals). */
export function template(options: RenderOptions = {}): Promise<RunResult> {
  return helm(["template", options.release ?? "zhengyun", chartDir, "--namespace", options.namespace ?? "zhengyun-system", ...valueArgs(options)]);
}

/** `helm template`, parsed; throws with Helm's message if rendering fails. */
export async function render(options: RenderOptions = {}): Promise<Manifest[]> {
  const result = await template(options);
  if (result.code !== 0) throw new Error(`helm template failed (${result.code}):\n${result.stderr}`);
  return (loadAllYaml(result.stdout) as (Manifest | null)[]).filter((o): o is Manifest => o !== null && typeof o === "object");
}

/**
 * `helm install --dry-run=server` against a cluster: renders with lookups and prints the release
 * notes (NOTES.txt), installing nothing.
 */
export function dryRunInstall(kubeconfig: string, options: RenderOptions = {}): Promise<RunResult> {
  return helm([
    "install",
    options.release ?? "zhengyun",
    chartDir,
    "--kubeconfig",
    kubeconfig,
    "--namespace",
    options.namespace ?? "zhengyun-system",
    "--dry-run=server",
    ...valueArgs(options),
  ]);
}

export function lint(options: RenderOptions = {}): Promise<RunResult> {
  return helm(["lint", chartDir, "--strict", "--namespace", options.namespace ?? "zhengyun-system", ...valueArgs(options)]);
}

// ---- reading rendered workloads ----

export interface Container {
  name: string;
  image: string;
  command?: string[];
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: Record<string, unknown> }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  ports?: { name?: string; containerPort: number }[];
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  startupProbe?: { httpGet?: { path: string; port: string | number } };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  securityContext?: Record<string, unknown>;
  containers: Container[];
  initContainers?: Container[];
  volumes?: Record<string, unknown>[];
  [field: string]: unknown;
}

export interface PodTemplate {
  metadata: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: PodSpec;
}

export const WORKLOAD_KINDS = ["Deployment", "Job", "StatefulSet", "DaemonSet"] as const;

export function isWorkload(object: Manifest): boolean {
  return (WORKLOAD_KINDS as readonly string[]).includes(object.kind);
}

export function podTemplate(workload: Manifest): PodTemplate {
  const template = (workload.spec as { template?: PodTemplate } | undefined)?.template;
  if (!template) throw new Error(`${workload.kind} ${workload.metadata.name} has no pod template`);
  return template;
}

export function allContainers(spec: PodSpec): Container[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

export function find(objects: readonly Manifest[], kind: string, name: string): Manifest {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}

export function isHook(object: Manifest): boolean {
  return Boolean(object.metadata.annotations?.["helm.sh/hook"]);
}
