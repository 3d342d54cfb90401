import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../model/k8s.js";
import { canonicalQuantity } from "../model/quantity.js";
import { canonicalJson, hashOf } from "./canonical.js";
import { withServerDefaults } from "./defaults.js";
import { compareObject, diff, enforce } from "./diff.js";

/** Field names that are never an object's metadata, kind or status. */
const key = fc.constantFrom("spec", "data", "rules", "roleRef", "subjects", "hard", "limits", "podSelector", "matchLabels", "ports", "cpu", "memory", "a", "b");
const quantity = fc.constantFrom("1", "1000m", "1500m", "2k", "2000", "1Gi", "1024Mi", "1048576Ki", "512Mi", "0.5Gi", "100m", "0.1", "1e3", "4Gi");
const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 5 }), fc.boolean(), quantity);
const value = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    scalar,
    fc.array(tie("value"), { maxLength: 3 }),
    fc.dictionary(key, tie("value"), { maxKeys: 4 }),
  ),
})).value;
const labels = fc.dictionary(fc.constantFrom("app", "tier", "zhengyun.gov.cn/level", "team"), fc.string({ maxLength: 4 }), { maxKeys: 3 });

const kinds = [
  { apiVersion: "v1", kind: "Namespace" },
  { apiVersion: "v1", kind: "ResourceQuota" },
  { apiVersion: "v1", kind: "ConfigMap" },
  { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy" },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding" },
  { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingAdmissionPolicy" },
];

/** Desired objects: any content under any top-level fields, labels and annotations. */
const desired: fc.Arbitrary<KubeObject> = fc
  .record({
    type: fc.constantFrom(...kinds),
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/),
    labels,
    annotations: fc.dictionary(fc.constantFrom("note", "zhengyun.gov.cn/control"), fc.string({ maxLength: 4 }), { maxKeys: 2 }),
    content: fc.dictionary(key, value, { minKeys: 1, maxKeys: 3 }),
  })
  .map(({ type, name, labels, annotations, content }) => ({
    ...type,
    metadata: { name, namespace: "zy-a", labels, annotations },
    ...content,
  }));

/** The same JSON with every object's keys in another order. */
function shuffled(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffled(v, seed));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    const rotated = entries.length === 0 ? entries : [...entries.slice(seed % entries.length), ...entries.slice(0, seed % entries.length)].reverse();
    return Object.fromEntries(rotated.map(([k, v]) => [k, shuffled(v, seed + 1)]));
  }
  return value;
}

/** Quantities written as the API server stores them. */
function canonicalQuantities(value: unknown): unknown {
  if (typeof value === "string") {
    try {
      return canonicalQuantity(value);
    } catch {
      return value;
    }
  }
  if (Array.isArray(value)) return value.map(canonicalQuantities);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, canonicalQuantities(v)]));
  }
  return value;
}

/**
 * What the API server hands back for a written object: defaulted fields filled in, quantities
 * canonical, its own metadata, labels and annotations others added, a status.
 */
function stored(object: KubeObject, extraLabels: Record<string, string>): KubeObject {
  const { metadata, ...content } = withServerDefaults(object);
  return {
    ...(canonicalQuantities(content) as Omit<KubeObject, "metadata">),
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      ...metadata,
      labels: { ...extraLabels, ...metadata.labels },
      annotations: { "kubectl.kubernetes.io/last-applied-configuration": "{}", ...metadata.annotations },
      uid: "0b9c",
      resourceVersion: "42",
      creationTimestamp: "2026-01-01T00:00:00Z",
      managedFields: [{ manager: "zhengyun-policies", operation: "Apply" }],
    } as KubeObject["metadata"],
    status: { observed: true },
  };
}

const otherLabels = fc.dictionary(fc.constantFrom("kubernetes.io/metadata.name", "owner", "zhengyun.gov.cn/tenant-guard"), fc.string({ maxLength: 4 }), {
  maxKeys: 2,
});
/** Labels added by hand, some of which weaken a namespace's controls. */
const handLabels = fc.dictionary(
  fc.constantFrom("owner", "pod-security.kubernetes.io/enforce", "exempt.zhengyun.gov.cn/no-host-access", "zhengyun.gov.cn/tenant-guard"),
  fc.string({ maxLength: 4 }),
  { maxKeys: 3 },
);

describe("diff", () => {
  it("finds nothing between an object and itself", () => {
    fc.assert(fc.property(desired, (d) => diff(d, structuredClone(d)).length === 0));
  });

  it("does not depend on key order", () => {
    fc.assert(
      fc.property(desired, fc.nat(), (d, seed) => {
        const reordered = shuffled(d, seed) as KubeObject;
        expect(diff(d, reordered)).toEqual([]);
        expect(diff(reordered, d)).toEqual([]);
        expect(canonicalJson(reordered)).toBe(canonicalJson(d));
        expect(hashOf(reordered)).toBe(hashOf(d));
      }),
    );
  });

  it("finds nothing in what the API server stores for a desired object", () => {
    fc.assert(fc.property(desired, otherLabels, (d, extra) => diff(d, stored(d, extra)).length === 0));
  });

  it("leaves nothing to find once enforced, whatever the live object held", () => {
    fc.assert(
      fc.property(desired, desired, handLabels, (d, other, extra) => {
        const live = stored({ ...other, apiVersion: d.apiVersion, kind: d.kind, metadata: { ...other.metadata, name: d.metadata.name } }, extra);
        expect(diff(d, enforce(d, live))).toEqual([]);
        // The server's metadata and others' labels survive the write.
        expect(enforce(d, live).metadata).toMatchObject({ resourceVersion: "42" });
      }),
    );
  });

  it("names the field a hand edit changed", () => {
    fc.assert(
      fc.property(desired, fc.string({ minLength: 1, maxLength: 5 }), (d, text) => {
        const [field] = Object.keys(d).filter((k) => !["apiVersion", "kind", "metadata"].includes(k));
        fc.pre(field !== undefined);
        const edited = { ...structuredClone(d), [field as string]: { edited: `x${text}` } };
        fc.pre(canonicalJson(edited[field as string]) !== canonicalJson(d[field as string]));
        expect(compareObject(d, edited)?.fields.some((f) => f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`))).toBe(true);
      }),
    );
  });

  it("finds a desired label removed or changed, and is silent about labels added", () => {
    fc.assert(
      fc.property(desired, otherLabels, (d, extra) => {
        const [label] = Object.keys(d.metadata.labels ?? {});
        fc.pre(label !== undefined);
        const live = stored(d, extra);
        delete live.metadata.labels?.[label as string];
        expect(diff(d, live)).toEqual([`metadata.labels.${label}`]);
      }),
    );
  });
});
