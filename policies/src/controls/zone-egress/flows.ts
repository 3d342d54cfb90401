import { networkPolicy } from "../../compile/netpol.js";
import { PolicyInputError } from "../../model/errors.js";
import type { NetworkPolicyObject, NetworkPolicyPeer } from "../../model/k8s.js";
import { LEVEL_LABEL, SYSTEM_LABEL, ZONE_LABEL } from "../../model/labels.js";
import type { Level, Zone } from "../../model/level.js";
import type { FlowGrant } from "../../model/tenant.js";

export interface Party {
  zone: Zone;
  level: Level;
}

/**
 * A flow crosses a boundary when it joins two zones, or when the side that
 * opens the connection has a lower level than the side that accepts it.
 */
export function crossesBoundary(self: Party, flow: FlowGrant): boolean {
  if (flow.peer.zone !== self.zone) return true;
  const source = flow.direction === "ingress" ? flow.peer.level : self.level;
  const destination = flow.direction === "ingress" ? self.level : flow.peer.level;
  return source < destination;
}

export function checkFlowApproval(system: string, self: Party, flow: FlowGrant): void {
  if (crossesBoundary(self, flow) && flow.approvedBy === undefined) {
    throw new PolicyInputError(
      "flow-not-approved",
      `${system}: ${flow.direction} flow with ${flow.peer.system} crosses a zone or level boundary and has no security officer approval`,
    );
  }
}

/** The peer's namespace, pinned to the zone and level it was granted at: a relabelled peer loses the flow. */
function peerSelector(flow: FlowGrant): NetworkPolicyPeer {
  return {
    namespaceSelector: {
      matchLabels: {
        [SYSTEM_LABEL]: flow.peer.system,
        [ZONE_LABEL]: flow.peer.zone,
        [LEVEL_LABEL]: String(flow.peer.level),
      },
    },
  };
}

export function flowPolicyName(flow: Pick<FlowGrant, "direction" | "peer">): string {
  return `zhengyun-flow-${flow.direction === "ingress" ? "from" : "to"}-${flow.peer.system}`;
}

/** Merge grants for the same peer and direction, so each gets one policy. */
function mergeGrants(flows: readonly FlowGrant[]): FlowGrant[] {
  const merged = new Map<string, FlowGrant>();
  for (const flow of flows) {
    const key = `${flow.direction}/${flow.peer.system}`;
    const current = merged.get(key);
    if (!current) {
      merged.set(key, { ...flow, ports: [...flow.ports] });
      continue;
    }
    if (current.peer.zone !== flow.peer.zone || current.peer.level !== flow.peer.level) {
      throw new PolicyInputError("flow-peer-conflict", `grants for ${flow.peer.system} disagree on its zone or level`);
    }
    for (const port of flow.ports) {
      if (!current.ports.some((p) => p.port === port.port && p.protocol === port.protocol)) current.ports.push(port);
    }
    if (current.approvedBy === undefined && flow.approvedBy !== undefined) current.approvedBy = flow.approvedBy;
  }
  return [...merged.values()];
}

export function compileFlows(system: string, namespace: string, self: Party, flows: readonly FlowGrant[]): NetworkPolicyObject[] {
  return mergeGrants(flows).map((flow) => {
    checkFlowApproval(system, self, flow);
    const ports = [...flow.ports].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol)).map((p) => ({ protocol: p.protocol, port: p.port }));
    const policy =
      flow.direction === "ingress"
        ? networkPolicy(flowPolicyName(flow), namespace, "zone-egress", {
            podSelector: {},
            policyTypes: ["Ingress"],
            ingress: [{ from: [peerSelector(flow)], ports }],
          })
        : networkPolicy(flowPolicyName(flow), namespace, "zone-egress", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [{ to: [peerSelector(flow)], ports }],
          });
    if (flow.approvedBy !== undefined) {
      policy.metadata.annotations = { ...policy.metadata.annotations, "zhengyun.gov.cn/approved-by": flow.approvedBy };
    }
    return policy;
  });
}
