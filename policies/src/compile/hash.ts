import type { KubeObject } from "../model/k8s.js";
import { OWNED_NAMESPACE_LABEL_PREFIXES } from "../model/labels.js";
import { hashOf } from "../observe/canonical.js";

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
  return hashOf(enforcingContent(object));
}
