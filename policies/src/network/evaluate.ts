import type { NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from "../model/k8s.js";
import { inCidr } from "./cidr.js";
import { matchesSelector } from "./selector.js";

/**
 * A NetworkPolicy evaluator: given the policies of the cluster, is a
 * connection allowed? It implements the networking.k8s.io/v1 semantics
 * (isolation by selection, additive allow rules, namespace/pod/ipBlock
 * peers, ports and port ranges) so that the policies read back from the API
 * server can be judged without a CNI plugin.
 */
export interface PolicyLike {
  metadata: { name: string; namespace?: string };
  spec: NetworkPolicySpec;
}

export interface PodEndpoint {
  kind: "pod";
  namespace: string;
  namespaceLabels: Readonly<Record<string, string>>;
  podLabels: Readonly<Record<string, string>>;
}

export interface IpEndpoint {
  kind: "ip";
  ip: string;
}

export type Endpoint = PodEndpoint | IpEndpoint;

export interface Connection {
  from: Endpoint;
  to: Endpoint;
  protocol: "TCP" | "UDP" | "SCTP";
  port: number;
}

export interface SideVerdict {
  /** Whether any policy selects the pod for this direction. */
  isolated: boolean;
  allowed: boolean;
  /** Policies whose rules allow the connection. */
  allowedBy: string[];
}

export interface Verdict {
  allowed: boolean;
  egress: SideVerdict;
  ingress: SideVerdict;
}

type Direction = "Ingress" | "Egress";

function policyTypes(spec: NetworkPolicySpec): Direction[] {
  if (spec.policyTypes && spec.policyTypes.length > 0) return spec.policyTypes;
  return spec.egress && spec.egress.length > 0 ? ["Ingress", "Egress"] : ["Ingress"];
}

function peerMatches(peer: NetworkPolicyPeer, policyNamespace: string, other: Endpoint): boolean {
  if (peer.ipBlock) {
    if (other.kind !== "ip" || !inCidr(other.ip, peer.ipBlock.cidr)) return false;
    return !(peer.ipBlock.except ?? []).some((cidr) => inCidr(other.ip, cidr));
  }
  if (other.kind !== "pod") return false;
  const namespaceOk = peer.namespaceSelector ? matchesSelector(peer.namespaceSelector, other.namespaceLabels) : other.namespace === policyNamespace;
  const podOk = peer.podSelector ? matchesSelector(peer.podSelector, other.podLabels) : true;
  return namespaceOk && podOk;
}

function portMatches(ports: readonly NetworkPolicyPort[] | undefined, protocol: string, port: number): boolean {
  if (!ports || ports.length === 0) return true;
  return ports.some((p) => {
    if ((p.protocol ?? "TCP") !== protocol) return false;
    if (p.port === undefined) return true;
    if (typeof p.port === "string") return false; // named ports need the pod's container ports; not modelled
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  });
}

function side(policies: readonly PolicyLike[], pod: PodEndpoint, other: Endpoint, direction: Direction, c: Connection): SideVerdict {
  const selecting = policies.filter(
    (p) => p.metadata.namespace === pod.namespace && matchesSelector(p.spec.podSelector, pod.podLabels) && policyTypes(p.spec).includes(direction),
  );
  if (selecting.length === 0) return { isolated: false, allowed: true, allowedBy: [] };
  const allowedBy = selecting
    .filter((p) => {
      const rules =
        direction === "Ingress"
          ? (p.spec.ingress ?? []).map((r) => ({ peers: r.from, ports: r.ports }))
          : (p.spec.egress ?? []).map((r) => ({ peers: r.to, ports: r.ports }));
      return rules.some(
        (rule) =>
          (!rule.peers || rule.peers.length === 0 || rule.peers.some((peer) => peerMatches(peer, pod.namespace, other))) &&
          portMatches(rule.ports, c.protocol, c.port),
      );
    })
    .map((p) => p.metadata.name);
  return { isolated: true, allowed: allowedBy.length > 0, allowedBy };
}

const OPEN: SideVerdict = { isolated: false, allowed: true, allowedBy: [] };

export function evaluate(policies: readonly PolicyLike[], connection: Connection): Verdict {
  const egress = connection.from.kind === "pod" ? side(policies, connection.from, connection.to, "Egress", connection) : OPEN;
  const ingress = connection.to.kind === "pod" ? side(policies, connection.to, connection.from, "Ingress", connection) : OPEN;
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}
