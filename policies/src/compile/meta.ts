import type { ControlId } from "../model/control.js";
import type { KubeObject, ObjectMeta } from "../model/k8s.js";
import { CONTROL_ANNOTATION, HASH_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL } from "../model/labels.js";
import { contentHash } from "./hash.js";

/** Who an object belongs to: a catalog control, or the platform itself (shared namespaces). */
export type Owner = ControlId | "platform";

/** Metadata of a compiled object: managed-by label and the owning control. */
export function meta(name: string, owner: Owner, namespace?: string, labels: Record<string, string> = {}): ObjectMeta {
  const metadata: ObjectMeta = {
    name,
    labels: { ...labels, [MANAGED_BY_LABEL]: MANAGED_BY },
    annotations: { [CONTROL_ANNOTATION]: owner },
  };
  if (namespace !== undefined) metadata.namespace = namespace;
  return metadata;
}

/** The owner recorded on a compiled (or live) object. */
export function ownerOf(object: Pick<KubeObject, "metadata">): string | undefined {
  return object.metadata.annotations?.[CONTROL_ANNOTATION];
}

/** Stamp each object with the hash of its enforcing content (for drift detection and evidence). */
export function withHashes<T extends KubeObject>(objects: readonly T[]): T[] {
  return objects.map((object) => ({
    ...object,
    metadata: {
      ...object.metadata,
      annotations: { ...object.metadata.annotations, [HASH_ANNOTATION]: contentHash(object) },
    },
  }));
}
