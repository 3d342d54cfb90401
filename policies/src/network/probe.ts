import { DNS_NAMESPACE, DNS_POD_LABELS } from "../controls/zone-egress/control.js";
import type { Probe, ProbeEndpoint } from "../model/fixture.js";
import type { KubeObject } from "../model/k8s.js";
import { EGRESS_NAMESPACE, NAMESPACE_NAME_LABEL, SYSTEM_LABEL } from "../model/labels.js";
import { type Endpoint, evaluate, type PolicyLike, type Verdict } from "./evaluate.js";

export const GATEWAY_POD_LABELS = { app: "egress-gateway" } as const;
const PEER_POD_LABELS = { app: "web" } as const;

/** Namespaces as the probes see them: name → labels (the server adds kubernetes.io/metadata.name). */
export type NamespaceLabels = ReadonlyMap<string, Readonly<Record<string, string>>>;

export function namespaceLabels(namespaces: readonly KubeObject[]): Map<string, Record<string, string>> {
  const map = new Map<string, Record<string, string>>();
  for (const ns of namespaces) {
    if (ns.kind !== "Namespace") continue;
    map.set(ns.metadata.name, { ...ns.metadata.labels, [NAMESPACE_NAME_LABEL]: ns.metadata.name });
  }
  if (!map.has(DNS_NAMESPACE)) map.set(DNS_NAMESPACE, { [NAMESPACE_NAME_LABEL]: DNS_NAMESPACE });
  return map;
}

function namespaceOfSystem(namespaces: NamespaceLabels, system: string): string {
  for (const [name, labels] of namespaces) if (labels[SYSTEM_LABEL] === system) return name;
  throw new Error(`no namespace carries system ${system}`);
}

function pod(namespaces: NamespaceLabels, namespace: string, podLabels: Readonly<Record<string, string>>): Endpoint {
  const labels = namespaces.get(namespace);
  if (!labels) throw new Error(`unknown namespace ${namespace}`);
  return { kind: "pod", namespace, namespaceLabels: labels, podLabels };
}

export function resolveEndpoint(endpoint: ProbeEndpoint, selfSystem: string, namespaces: NamespaceLabels): Endpoint {
  switch (endpoint.kind) {
    case "self":
      return pod(namespaces, namespaceOfSystem(namespaces, selfSystem), endpoint.pod);
    case "system":
      return pod(namespaces, namespaceOfSystem(namespaces, endpoint.system), PEER_POD_LABELS);
    case "dns":
      return pod(namespaces, DNS_NAMESPACE, DNS_POD_LABELS);
    case "egress-gateway":
      return pod(namespaces, EGRESS_NAMESPACE, GATEWAY_POD_LABELS);
    case "internet":
      return { kind: "ip", ip: endpoint.ip };
  }
}

/** Judge a probe of system `selfSystem` against a set of NetworkPolicies. */
export function judgeProbe(policies: readonly PolicyLike[], probe: Probe, selfSystem: string, namespaces: NamespaceLabels): Verdict {
  return evaluate(policies, {
    from: resolveEndpoint(probe.from, selfSystem, namespaces),
    to: resolveEndpoint(probe.to, selfSystem, namespaces),
    protocol: probe.protocol,
    port: probe.port,
  });
}
