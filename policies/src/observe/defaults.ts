// Fields the API server fills in when an object leaves them out. The comparison starts from the
// desired object with these filled in, so an object read back equals the one that was written.

import type { KubeObject } from "../model/k8s.js";

type Json = Record<string, unknown>;

const isMap = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

function fill(target: Json, defaults: Json): Json {
  const out: Json = { ...target };
  for (const [key, value] of Object.entries(defaults)) if (out[key] === undefined) out[key] = structuredClone(value);
  return out;
}

const protocolOfPorts = (rules: unknown) =>
  Array.isArray(rules)
    ? rules.map((rule) =>
        isMap(rule) && Array.isArray(rule.ports) ? { ...rule, ports: rule.ports.map((p) => (isMap(p) ? fill(p, { protocol: "TCP" }) : p)) } : rule,
      )
    : rules;

const SELECTORS = { matchPolicy: "Equivalent", namespaceSelector: {}, objectSelector: {} };

const DEFAULTERS: Readonly<Record<string, (object: KubeObject) => KubeObject>> = {
  NetworkPolicy(object) {
    if (!isMap(object.spec)) return object;
    const spec: Json = { ...object.spec };
    if (spec.ingress !== undefined) spec.ingress = protocolOfPorts(spec.ingress);
    if (spec.egress !== undefined) spec.egress = protocolOfPorts(spec.egress);
    // Unset (or empty): Ingress, and Egress when there are egress rules.
    if (!Array.isArray(spec.policyTypes) || spec.policyTypes.length === 0) {
      spec.policyTypes = Array.isArray(spec.egress) && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
    }
    return { ...object, spec };
  },
  ValidatingAdmissionPolicy(object) {
    if (!isMap(object.spec)) return object;
    const spec = fill(object.spec, { failurePolicy: "Fail" });
    if (isMap(spec.matchConstraints)) spec.matchConstraints = fill(spec.matchConstraints, SELECTORS);
    return { ...object, spec };
  },
  ValidatingAdmissionPolicyBinding(object) {
    if (!isMap(object.spec) || !isMap(object.spec.matchResources)) return object;
    return { ...object, spec: { ...object.spec, matchResources: fill(object.spec.matchResources, SELECTORS) } };
  },
};

/** The object as the API server stores it, as far as defaulted fields go. Pure. */
export function withServerDefaults(object: KubeObject): KubeObject {
  return DEFAULTERS[object.kind]?.(object) ?? object;
}
