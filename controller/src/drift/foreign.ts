// Objects in a system's namespace that the platform did not create and that weaken one of its
// controls (a NetworkPolicy added beside the platform's, a NodePort Service where the level denies
// it, an Ingress, a RoleBinding). Found on every check; removed when healing, reported otherwise.

import { type KubeObject, type Level, weakens } from "@zhengyun/policies";
import { type Kube, readNamespaceCandidates } from "@zhengyun/policies/kube";
import type { DriftFinding } from "./compare.js";

/**
 * One finding per foreign object; `fields` names the controls it weakens. What an exempted control
 * would refuse is allowed while the exemption lasts, so it weakens nothing. Pure.
 */
export function foreignFindings(level: Level, live: readonly KubeObject[], exempt: ReadonlySet<string> = new Set()): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const object of live) {
    const found = weakens(object, level);
    const controls = found?.controls.filter((c) => !exempt.has(c)) ?? [];
    if (controls.length === 0) continue;
    findings.push({
      apiVersion: object.apiVersion,
      kind: object.kind,
      name: object.metadata.name,
      namespace: object.metadata.namespace,
      change: "foreign",
      fields: controls,
    });
  }
  return findings.sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));
}

/** The foreign objects of a system's namespace now. */
export async function detectForeign(kube: Pick<Kube, "list">, namespace: string, level: Level, exempt: ReadonlySet<string>): Promise<DriftFinding[]> {
  return foreignFindings(level, await readNamespaceCandidates(kube, namespace), exempt);
}

/** Deletes the foreign objects found (already gone is fine). */
export async function removeForeign(kube: Pick<Kube, "delete">, findings: readonly DriftFinding[]): Promise<void> {
  for (const f of findings) {
    if (f.change !== "foreign") continue;
    await kube.delete({ apiVersion: f.apiVersion, kind: f.kind, name: f.name, namespace: f.namespace });
  }
}
