// Compares what the cluster holds with what was applied. Pure.
//
// Labels and annotations: the desired ones must be present with their values (others may add
// their own). Every other field the desired object sets is compared exactly, including maps the
// desired object leaves empty: a NetworkPolicy's `podSelector: {}` narrowed by hand to one label
// would exempt every other pod from the policy, so keys added under a desired field are drift too.
// Top-level fields the desired object does not set (status, a Namespace's spec) are the server's.

import type { KubeObject } from "@zhengyun/infra/components/objects";
import { parseQuantity } from "../quantity.js";

export interface DriftFinding {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** `foreign`: an object the platform did not create that weakens a control (removed when healing). */
  change: "missing" | "modified" | "foreign";
  /** Paths that differ, e.g. `spec.hard.limits.cpu`, `metadata.labels.zhengyun.gov.cn/level`. */
  fields: string[];
}

function sameScalar(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  if (typeof desired === "string" && typeof live === "string") {
    const a = parseQuantity(desired);
    const b = parseQuantity(live);
    return a !== undefined && a === b;
  }
  return false;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key);

/** Exact comparison of one field's value; paths that differ are appended to `out`. */
function exact(desired: unknown, live: unknown, path: string, out: string[]): void {
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) {
      out.push(path);
      return;
    }
    for (const [i, d] of desired.entries()) exact(d, live[i], `${path}[${i}]`, out);
    return;
  }
  if (isMap(desired)) {
    if (!isMap(live)) {
      out.push(path);
      return;
    }
    for (const key of new Set([...Object.keys(desired), ...Object.keys(live)])) {
      if (desired[key] === undefined && live[key] === undefined) continue;
      exact(desired[key], live[key], join(path, key), out);
    }
    return;
  }
  if (!sameScalar(desired, live)) out.push(path);
}

function contained(desired: Record<string, string> | undefined, live: Record<string, string> | undefined, path: string, out: string[]): void {
  for (const [key, value] of Object.entries(desired ?? {})) {
    if (live?.[key] !== value) out.push(join(path, key));
  }
}

/** What differs between a desired object and the live one (undefined: it does not exist). */
export function compareObject(desired: KubeObject, live: KubeObject | undefined): DriftFinding | undefined {
  const base = { apiVersion: desired.apiVersion, kind: desired.kind, name: desired.metadata.name, namespace: desired.metadata.namespace };
  if (!live) return { ...base, change: "missing", fields: [] };
  const fields: string[] = [];
  contained(desired.metadata.labels, live.metadata?.labels, "metadata.labels", fields);
  contained(desired.metadata.annotations, live.metadata?.annotations, "metadata.annotations", fields);
  for (const [key, value] of Object.entries(desired)) {
    if (key === "apiVersion" || key === "kind" || key === "metadata" || key === "status" || value === undefined) continue;
    exact(value, live[key], key, fields);
  }
  return fields.length > 0 ? { ...base, change: "modified", fields } : undefined;
}

/** Compares every desired object with its live counterpart (keyed by `objectKey`). */
export function compareAll(desired: readonly KubeObject[], live: ReadonlyMap<string, KubeObject | undefined>, key: (o: KubeObject) => string): DriftFinding[] {
  return desired.map((d) => compareObject(d, live.get(key(d)))).filter((f): f is DriftFinding => f !== undefined);
}

const CHANGE_TEXT: Record<DriftFinding["change"], (f: DriftFinding) => string> = {
  missing: () => "deleted",
  modified: (f) => `changed (${f.fields.join(", ")})`,
  foreign: (f) => `added outside the platform, weakening ${f.fields.join(", ")}`,
};

/** One line per finding, for events and logs. */
export function describeFindings(findings: readonly DriftFinding[]): string {
  return findings.map((f) => `${f.kind} ${f.namespace ? `${f.namespace}/` : ""}${f.name} ${CHANGE_TEXT[f.change](f)}`).join("; ");
}
