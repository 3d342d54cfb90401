import { CONTROLS } from "../controls/index.js";
import type { KubeObject, NamespaceObject } from "../model/k8s.js";
import { PSA_PREFIX, PSA_VERSION, ROLE_LABEL, SYSTEM_NAMESPACE } from "../model/labels.js";
import { meta, withHashes } from "./meta.js";
import { assertUnique, inApplyOrder } from "./order.js";

/** Holds the per-level parameter objects of the admission policies. */
function systemNamespace(): NamespaceObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: meta(SYSTEM_NAMESPACE, "platform", undefined, {
      [ROLE_LABEL]: "policy-parameters",
      [`${PSA_PREFIX}/enforce`]: "restricted",
      [`${PSA_PREFIX}/enforce-version`]: PSA_VERSION,
    }),
  };
}

/**
 * The cluster-wide objects of the catalog: the platform namespaces, every
 * ValidatingAdmissionPolicy with one binding per level it applies at, their
 * per-level parameter ConfigMaps, and the unified egress gateway's namespace
 * and ingress policy. Pure and deterministic; objects come in apply order,
 * each annotated with its owning control and content hash.
 */
export function compileBaseline(): KubeObject[] {
  const objects = [systemNamespace(), ...CONTROLS.flatMap((control) => control.compileCluster())];
  assertUnique(objects);
  return withHashes(inApplyOrder(objects));
}
