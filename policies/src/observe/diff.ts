// What differs between a desired object and the live one: the one comparison behind drift, healing
// and compliance evidence. Pure.
//
// Labels and annotations: the desired ones must be present with their values (others may add
// their own), except on a namespace, where a Pod Security or exemption label nobody desired is
// drift too. Every other field the desired object sets is compared exactly, including maps the
// desired object leaves empty: a NetworkPolicy's `podSelector: {}` narrowed by hand to one label
// would exempt every other pod from the policy, so keys added under a desired field are drift.
// Quantities compare by value ("1Gi" is "1024Mi"); fields the API server defaults are filled in
// first. Top-level fields the desired object does not set (status, a
// Namespace's spec) are the server's.

import { type KubeObject, objectKey } from "../model/k8s.js";
import { WEAKENING_NAMESPACE_LABEL_PREFIXES } from "../model/labels.js";
import { sameQuantity } from "../model/quantity.js";
import { withServerDefaults } from "./defaults.js";

export interface Finding {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** `foreign`: an object the platform did not create that weakens a control (removed when healing). */
  change: "missing" | "modified" | "foreign";
  /** Paths that differ, e.g. `spec.hard.limits.cpu`, `metadata.labels.zhengyun.gov.cn/level`; for a foreign object, the controls it weakens. */
  fields: string[];
}

/** Top-level members that are not the object's content. */
const NOT_CONTENT = new Set(["apiVersion", "kind", "metadata", "status"]);

function sameScalar(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  return typeof desired === "string" && typeof live === "string" && sameQuantity(desired, live);
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

function contained(
  desired: Record<string, string> | undefined,
  live: Record<string, string> | undefined,
  path: string,
  out: string[],
  owned: readonly string[] = [],
): void {
  for (const [key, value] of Object.entries(desired ?? {})) {
    if (live?.[key] !== value) out.push(join(path, key));
  }
  for (const key of Object.keys(live ?? {})) {
    if (desired?.[key] === undefined && owned.some((prefix) => key.startsWith(prefix))) out.push(join(path, key));
  }
}

/** The paths at which `live` differs from `desired` (empty: it is as desired). Pure. */
export function diff(desired: KubeObject, observed: KubeObject): string[] {
  const want = withServerDefaults(desired);
  // Both sides: an object the server stored has its defaults already, and so `diff(x, x)` is empty.
  const live = withServerDefaults(observed);
  const fields: string[] = [];
  const owned = desired.kind === "Namespace" ? WEAKENING_NAMESPACE_LABEL_PREFIXES : [];
  contained(want.metadata.labels, live.metadata?.labels, "metadata.labels", fields, owned);
  contained(want.metadata.annotations, live.metadata?.annotations, "metadata.annotations", fields);
  for (const [key, value] of Object.entries(want)) {
    if (NOT_CONTENT.has(key) || value === undefined) continue;
    exact(value, live[key], key, fields);
  }
  return fields;
}

/** The finding for a desired object and its live counterpart (undefined: it does not exist), if they differ. */
export function compareObject(desired: KubeObject, live: KubeObject | undefined): Finding | undefined {
  const base = { apiVersion: desired.apiVersion, kind: desired.kind, name: desired.metadata.name, namespace: desired.metadata.namespace };
  if (!live) return { ...base, change: "missing", fields: [] };
  const fields = diff(desired, live);
  return fields.length > 0 ? { ...base, change: "modified", fields } : undefined;
}

/** Compares every desired object with its live counterpart, looked up by `objectKey`. */
export function compareAll(desired: readonly KubeObject[], live: { get(key: string): KubeObject | undefined }): Finding[] {
  return desired.map((d) => compareObject(d, live.get(objectKey(d)))).filter((f): f is Finding => f !== undefined);
}

const CHANGE_TEXT: Record<Finding["change"], (f: Finding) => string> = {
  missing: () => "deleted",
  modified: (f) => `changed (${f.fields.join(", ")})`,
  foreign: (f) => `added outside the platform, weakening ${f.fields.join(", ")}`,
};

/** One line per finding, for events and logs. */
export function describeFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.kind} ${f.namespace ? `${f.namespace}/` : ""}${f.name} ${CHANGE_TEXT[f.change](f)}`).join("; ");
}

/**
 * The live object with every field the desired object sets replaced by the desired value, and the
 * desired labels and annotations set: what healing writes back when server-side apply could not
 * remove what another manager added. Namespace labels under a weakening prefix that nobody desired
 * are dropped. Pure: `diff(desired, enforce(desired, live))` is empty.
 */
export function enforce(desired: KubeObject, live: KubeObject): KubeObject {
  const out: KubeObject = { ...live, metadata: { ...live.metadata } };
  for (const [key, value] of Object.entries(withServerDefaults(desired))) {
    if (NOT_CONTENT.has(key) || value === undefined) continue;
    out[key] = structuredClone(value);
  }
  const labels = { ...live.metadata.labels, ...desired.metadata.labels };
  if (desired.kind === "Namespace") {
    for (const key of Object.keys(labels)) {
      if (desired.metadata.labels?.[key] === undefined && WEAKENING_NAMESPACE_LABEL_PREFIXES.some((p) => key.startsWith(p))) delete labels[key];
    }
  }
  out.metadata.labels = labels;
  out.metadata.annotations = { ...live.metadata.annotations, ...desired.metadata.annotations };
  return out;
}
