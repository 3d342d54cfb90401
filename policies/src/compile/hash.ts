import { createHash } from "node:crypto";
import type { KubeObject } from "../model/k8s.js";
import { OWNED_NAMESPACE_LABEL_PREFIXES } from "../model/labels.js";

/** JSON with object keys sorted and `undefined` members dropped: equal content, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalise(value));
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalise(item)));
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) out[key] = normalise(member);
    }
    return out;
  }
  return value;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The labels of a namespace that the platform owns (level, zone, PSA, exemptions…). */
export function ownedLabels(labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const owned: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (OWNED_NAMESPACE_LABEL_PREFIXES.some((prefix) => key.startsWith(prefix))) owned[key] = value;
  }
  return owned;
}

/**
 * The part of an object that does the enforcing: a namespace's owned labels, a
 * ConfigMap's data, everything else's spec. Metadata the server adds (uid,
 * managedFields, timestamps) is not part of it.
 */
export function enforcingContent(object: Pick<KubeObject, "kind" | "metadata"> & Record<string, unknown>): unknown {
  switch (object.kind) {
    case "Namespace":
      return ownedLabels(object.metadata.labels);
    case "ConfigMap":
      return object.data ?? {};
    default:
      return object.spec ?? null;
  }
}

/** Hash of the enforcing content, compared between the compiled and the live object. */
export function contentHash(object: Pick<KubeObject, "kind" | "metadata"> & Record<string, unknown>): string {
  return `sha256:${sha256(canonicalJson(enforcingContent(object)))}`;
}
