// Kyverno generate policies that make the same per-namespace objects the platform makes for its
// systems, for the benchmark's peer. Pure: systems' desired objects in, ClusterPolicies, labelled
// namespaces and the expected objects out.
//
// One ClusterPolicy per protection level, matching Namespaces by the level label and the peer
// label; one generate rule per object (kind and name) any system of that level has. What is the
// same for every system of the level is written into the rule; what differs from system to system
// (quota sizes, the department's group, egress destinations…) is read from an annotation of the
// triggering Namespace with `parse_json()`, the way a Kyverno user carries per-namespace
// parameters. A rule that only some systems of a level get (the egress gateway's NetworkPolicy of
// the external zone, the exec RoleBinding) also matches a label only those namespaces carry.

import { createHash } from "node:crypto";
import type { KubeObject } from "@zhengyun/infra/components/objects";

export const PEER_LABEL = "zhengyun.gov.cn/peer";
export const PEER_VALUE = "kyverno";
const PARAM_PREFIX = "peer.zhengyun.gov.cn";
const LEVEL_LABEL = "zhengyun.gov.cn/level";
/** Instructions to the engine, not part of an object's meaning. */
const ENGINE_ANNOTATIONS = new Set(["pulumi.com/patchForce"]);

export interface PeerSystem {
  level: number;
  /** The system's desired objects, its Namespace first (as `desiredState()` returns them). */
  objects: KubeObject[];
}

/** One object the peer must produce: where, what, and the fields it must carry. */
export interface ExpectedObject {
  namespace: string;
  apiVersion: string;
  kind: string;
  name: string;
  /** `labels`, `annotations` (from metadata) and the object's top-level fields (spec, data, subjects…). */
  fields: Record<string, unknown>;
}

export interface PeerPlan {
  policies: KubeObject[];
  namespaces: KubeObject[];
  expected: ExpectedObject[];
}

const short = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function withoutEngineAnnotations(annotations: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!annotations) return undefined;
  const kept = Object.fromEntries(Object.entries(annotations).filter(([k]) => !ENGINE_ANNOTATIONS.has(k)));
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** The fields of an object that the generated copy must carry. */
export function fieldsOf(object: KubeObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, ...rest } = object as KubeObject & Record<string, unknown>;
  const fields: Record<string, unknown> = { ...rest };
  if (metadata.labels) fields.labels = metadata.labels;
  const annotations = withoutEngineAnnotations(metadata.annotations);
  if (annotations) fields.annotations = annotations;
  return fields;
}

/** The peer's copy of a system: its Namespace under `namespaceOf(name)`, its namespaced objects moved there. */
export function peerPlan(systems: PeerSystem[], namespaceOf: (name: string) => string): PeerPlan {
  interface Entry {
    namespace: string;
    level: number;
    ns: KubeObject;
    objects: KubeObject[];
  }
  const entries: Entry[] = systems.map((system) => {
    const [ns, ...objects] = system.objects;
    if (ns?.kind !== "Namespace") throw new Error("a system's objects start with its Namespace");
    return { namespace: namespaceOf(ns.metadata.name), level: system.level, ns, objects };
  });
  const labels = new Map<string, Record<string, string>>(entries.map((e) => [e.namespace, { ...e.ns.metadata.labels, [PEER_LABEL]: PEER_VALUE }]));
  const annotations = new Map<string, Record<string, string>>(entries.map((e) => [e.namespace, { ...withoutEngineAnnotations(e.ns.metadata.annotations) }]));
  const expected: ExpectedObject[] = [];
  const policies: KubeObject[] = [];

  for (const level of [...new Set(entries.map((e) => e.level))].sort()) {
    const ofLevel = entries.filter((e) => e.level === level);
    // Object identity → the namespaces holding it, with its fields there.
    const byObject = new Map<string, { apiVersion: string; kind: string; name: string; holders: { namespace: string; fields: Record<string, unknown> }[] }>();
    for (const e of ofLevel)
      for (const o of e.objects) {
        const key = `${o.apiVersion}|${o.kind}|${o.metadata.name}`;
        const entry = byObject.get(key) ?? { apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, holders: [] };
        entry.holders.push({ namespace: e.namespace, fields: fieldsOf(o) });
        byObject.set(key, entry);
        expected.push({ namespace: e.namespace, apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name, fields: fieldsOf(o) });
      }
    const rules = [...byObject.entries()].map(([key, { apiVersion, kind, name, holders }], i) => {
      const selector: Record<string, string> = { [LEVEL_LABEL]: String(level), [PEER_LABEL]: PEER_VALUE };
      if (holders.length < ofLevel.length) {
        const only = `${PARAM_PREFIX}/r-${short(key)}`;
        selector[only] = "y";
        for (const h of holders) labels.get(h.namespace)![only] = "y";
      }
      const names = [...new Set(holders.flatMap((h) => Object.keys(h.fields)))].sort();
      const data: Record<string, unknown> = {};
      const metadata: Record<string, unknown> = {};
      for (const field of names) {
        const first = holders[0]!.fields[field];
        let value: unknown = first;
        if (!holders.every((h) => same(h.fields[field], first))) {
          // Differs between systems: each namespace carries its own value.
          const param = `${PARAM_PREFIX}/p-${short(`${key}|${field}`)}`;
          for (const h of holders) annotations.get(h.namespace)![param] = JSON.stringify(h.fields[field] ?? null);
          value = `{{ parse_json(request.object.metadata.annotations."${param}") }}`;
        }
        if (field === "labels" || field === "annotations") metadata[field] = value;
        else data[field] = value;
      }
      if (Object.keys(metadata).length > 0) data.metadata = metadata;
      return {
        name: `${i}-${kind.toLowerCase()}-${name}`.slice(0, 63).replace(/-+$/, ""),
        match: { any: [{ resources: { kinds: ["Namespace"], selector: { matchLabels: selector } } }] },
        generate: {
          apiVersion,
          kind,
          name,
          namespace: "{{ request.object.metadata.name }}",
          synchronize: true,
          data,
        },
      };
    });
    policies.push({
      apiVersion: "kyverno.io/v1",
      kind: "ClusterPolicy",
      metadata: { name: `zhengyun-peer-level-${level}` },
      spec: { background: true, rules },
    } as KubeObject);
  }

  const namespaces: KubeObject[] = entries.map((e) => {
    const a = annotations.get(e.namespace)!;
    return {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: e.namespace, labels: labels.get(e.namespace)!, ...(Object.keys(a).length > 0 ? { annotations: a } : {}) },
    };
  });
  return { policies, namespaces, expected };
}

/** Whether `live` holds `want` (every key of an object, every element of an array, leaves equal). */
export function holds(live: unknown, want: unknown): boolean {
  if (want === null || typeof want !== "object") return String(live) === String(want) || same(live, want);
  if (Array.isArray(want)) return Array.isArray(live) && live.length === want.length && want.every((w, i) => holds(live[i], w));
  if (live === null || typeof live !== "object") return false;
  return Object.entries(want as Record<string, unknown>).every(([k, v]) => holds((live as Record<string, unknown>)[k], v));
}
