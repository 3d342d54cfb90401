import type { KubeObject } from "../model/k8s.js";

/** Apply order: namespaces and parameters before the policies and bindings that reference them. */
const KIND_ORDER = ["Namespace", "ConfigMap", "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding", "ResourceQuota", "LimitRange", "NetworkPolicy"];

function rank(kind: string): number {
  const index = KIND_ORDER.indexOf(kind);
  return index === -1 ? KIND_ORDER.length : index;
}

export function inApplyOrder<T extends KubeObject>(objects: readonly T[]): T[] {
  return [...objects].sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) || (a.metadata.namespace ?? "").localeCompare(b.metadata.namespace ?? "") || a.metadata.name.localeCompare(b.metadata.name),
  );
}

/** Objects must be unique by kind, namespace and name. */
export function assertUnique(objects: readonly KubeObject[]): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const key = `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`;
    if (seen.has(key)) throw new Error(`compiled twice: ${key}`);
    seen.add(key);
  }
}
