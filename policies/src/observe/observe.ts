// The one way the platform reads what a system's namespace holds: every kind it compares is listed
// once from the namespace (one request per kind, whatever the number of objects), objects outside
// it (the Namespace itself, cluster-wide objects) are read one by one, and cluster-wide objects that
// are the same for every system of a level go through a shared cache. Drift, healing, usage and
// evidence of one check all use the same observation.

import { mapLimit } from "../kube/apply.js";
import { apiErrorCode, type Kube } from "../kube/client.js";
import { type KubeObject, type ObjectRef, objectKey, refKey } from "../model/k8s.js";
import { WIDENING_KINDS } from "./foreign.js";

/** Cluster-wide objects, each read at most once per `ttlMs` however many observations ask for it. */
export class SharedObjects {
  private readonly entries = new Map<string, { at: number; value: Promise<KubeObject | undefined> }>();
  constructor(
    private readonly kube: Pick<Kube, "read">,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The object (undefined: it does not exist); `counter.requests` counts reads sent to the API server. */
  read(ref: ObjectRef, counter?: { requests: number }): Promise<KubeObject | undefined> {
    const key = refKey(ref);
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    if (counter) counter.requests += 1;
    const value = this.kube.read(ref);
    this.entries.set(key, { at: this.now(), value });
    // A failed read is not remembered: the next observation tries again.
    value.catch(() => this.entries.delete(key));
    return value;
  }
}

export interface ObserveSpec {
  /**
   * The system's namespace: the objects in it are listed, kind by kind, with the kinds that can
   * weaken a control. Without one, every object is read one by one (the cluster-wide baseline).
   */
  namespace?: string;
  /** Objects read fresh: the system's own. Those in `namespace` come from its lists, the rest are read one by one. */
  objects: readonly ObjectRef[];
  /** Cluster-wide objects, read through `cache` when there is one. */
  shared?: readonly ObjectRef[];
}

/** What the API server held for one namespace at one moment, keyed by `objectKey`. */
export class Observation {
  constructor(
    readonly namespace: string | undefined,
    private readonly byKey: ReadonlyMap<string, KubeObject>,
    /** Requests this observation sent to the API server: for the system's own objects, and through the shared cache. */
    readonly requests: { own: number; shared: number },
  ) {}

  get(key: string): KubeObject | undefined {
    return this.byKey.get(key);
  }

  /** Every object observed, each once. */
  objects(): KubeObject[] {
    return [...this.byKey.values()];
  }

  /** The namespace's objects of one kind. */
  ofKind(apiVersion: string, kind: string): KubeObject[] {
    return this.objects().filter((o) => o.apiVersion === apiVersion && o.kind === kind && o.metadata.namespace === this.namespace);
  }
}

const kindKey = (k: { apiVersion: string; kind: string }) => `${k.apiVersion}/${k.kind}`;

/** Reads what `spec` names. Objects that do not exist are absent from the observation. */
export async function observe(kube: Pick<Kube, "read" | "list">, spec: ObserveSpec, cache?: SharedObjects): Promise<Observation> {
  const { namespace } = spec;
  const kinds = new Map(namespace === undefined ? [] : WIDENING_KINDS.map((k) => [kindKey(k), k]));
  const single = new Map<string, ObjectRef>();
  for (const ref of spec.objects) {
    if (namespace !== undefined && ref.namespace === namespace) kinds.set(kindKey(ref), ref);
    else single.set(refKey(ref), ref);
  }
  const shared = (spec.shared ?? []).filter((ref) => (namespace === undefined || ref.namespace !== namespace) && !single.has(refKey(ref)));
  const counter = { requests: 0 };

  const [lists, singles, fromCache] = await Promise.all([
    Promise.all(
      [...kinds.values()].map((k) =>
        kube.list(k.apiVersion, k.kind, { namespace }).catch((error: unknown) => {
          // A kind the API server does not serve (no Ingress API, say) has no objects.
          if (apiErrorCode(error) === 404) return [];
          throw error;
        }),
      ),
    ),
    mapLimit([...single.values()], 8, (ref) => kube.read(ref)),
    mapLimit(shared, 8, (ref) => {
      if (cache) return cache.read(ref, counter);
      counter.requests += 1;
      return kube.read(ref);
    }),
  ]);
  const byKey = new Map<string, KubeObject>();
  for (const object of [...lists.flat(), ...singles, ...fromCache]) if (object) byKey.set(objectKey(object), object);
  return new Observation(namespace, byKey, { own: kinds.size + single.size, shared: counter.requests });
}

/** Whether an object lives in the system's own namespace (or is that namespace). */
export function ownObject(ref: ObjectRef, namespace: string): boolean {
  return ref.namespace === namespace || (ref.kind === "Namespace" && ref.name === namespace);
}
