// Reading what an evidence report compares. A system's own namespace is read fresh every time;
// the cluster-wide objects (admission policies, bindings, parameters, the egress namespace) are the
// same for every system of a level, so one read serves every report for a short while.

import { evidenceObjects, type KubeObject, type ObjectRef, refKey, type TenantInput, withCandidates } from "@zhengyun/policies";
import { type Kube, mapLimit, readNamespaceCandidates } from "@zhengyun/policies/kube";

/** Cluster-wide objects, each read at most once per `ttlMs` however many reports ask for it. */
export class SharedObjects {
  private readonly entries = new Map<string, { at: number; value: Promise<KubeObject | undefined> }>();

  constructor(
    private readonly kube: Pick<Kube, "read">,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  read(ref: ObjectRef): Promise<KubeObject | undefined> {
    const key = refKey(ref);
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = this.kube.read(ref);
    this.entries.set(key, { at: this.now(), value });
    // A failed read is not remembered: the next report tries again.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

/** Whether a compared object lives in the system's own namespace (or is that namespace). */
export function ownObject(ref: ObjectRef, namespace: string): boolean {
  return ref.namespace === namespace || (ref.kind === "Namespace" && ref.name === namespace);
}

/**
 * The live objects an evidence report of `input` compares (missing ones left out), and the
 * namespace's objects that could weaken a control whoever made them.
 */
export async function readEvidenceObjects(kube: Pick<Kube, "read" | "list">, shared: SharedObjects, input: TenantInput): Promise<KubeObject[]> {
  const namespace = input.namespace ?? input.system;
  const found = await mapLimit(evidenceObjects(input), 8, (ref) => (ownObject(ref, namespace) ? kube.read(ref) : shared.read(ref)));
  const compared = found.filter((o): o is KubeObject => o !== undefined);
  return withCandidates(compared, await readNamespaceCandidates(kube, namespace));
}
