// The last step of healing. Server-side apply (what the engine uses) restores the fields it owns,
// but cannot remove fields another manager added under them (a label selector added to a
// NetworkPolicy's empty podSelector). For objects still drifted after the engine ran, the fields the
// desired object sets are written back whole, with an update guarded by the live resourceVersion.

import type * as k8s from "@kubernetes/client-node";
import type { KubeObject } from "@zhengyun/infra/components/objects";
import { toModel } from "./live.js";

export const ENFORCE_MANAGER = "zhengyun-controller";

/** The live object with every field the desired object sets replaced by the desired value. Pure. */
export function enforced(desired: KubeObject, live: KubeObject): KubeObject {
  const out: KubeObject = { ...live, metadata: { ...live.metadata } };
  for (const [key, value] of Object.entries(desired)) {
    if (key === "apiVersion" || key === "kind" || key === "metadata" || key === "status" || value === undefined) continue;
    out[key] = structuredClone(value);
  }
  out.metadata.labels = { ...live.metadata.labels, ...desired.metadata.labels };
  out.metadata.annotations = { ...live.metadata.annotations, ...desired.metadata.annotations };
  return out;
}

export async function enforce(api: k8s.KubernetesObjectApi, desired: KubeObject, live: KubeObject): Promise<void> {
  await api.replace(toModel(enforced(desired, live)), undefined, undefined, ENFORCE_MANAGER);
}
