import type { NetworkFixtures, Probe, ProbeEndpoint } from "../../model/fixture.js";
import { DNS_PORTS, GATEWAY_PORTS, internetEgress, ZONE_EGRESS_PARAMS } from "./control.js";

const SELF: ProbeEndpoint = { kind: "self", pod: { app: "web" } };
const INTERNET_HOST = "203.0.113.10";
const UNGRANTED_PORT = 22;

function gatewayPort(): number {
  const port = GATEWAY_PORTS[0]?.port;
  if (typeof port !== "number") throw new Error("the egress gateway has no numeric port");
  return port;
}

export const zoneEgressFixtures: NetworkFixtures = {
  kind: "network",
  good: (ctx) => {
    const probes: Probe[] = DNS_PORTS.map((p) => ({
      name: `dns-${p.protocol.toLowerCase()}`,
      description: `cluster DNS over ${p.protocol}`,
      from: SELF,
      to: { kind: "dns" },
      protocol: p.protocol === "UDP" ? "UDP" : "TCP",
      port: Number(p.port),
    }));
    if (internetEgress(ctx.zone, ZONE_EGRESS_PARAMS[ctx.level]) !== "none") {
      probes.push({
        name: "unified-egress",
        description: "the unified internet egress",
        from: SELF,
        to: { kind: "egress-gateway" },
        protocol: "TCP",
        port: gatewayPort(),
      });
    }
    for (const flow of ctx.flows) {
      for (const port of flow.ports) {
        const peer: ProbeEndpoint = { kind: "system", system: flow.peer.system };
        probes.push({
          name: `granted-${flow.direction}-${flow.peer.system}-${port.port}`,
          description: `granted ${flow.direction} with ${flow.peer.system} (level ${flow.peer.level}, ${flow.peer.zone})`,
          from: flow.direction === "ingress" ? peer : SELF,
          to: flow.direction === "ingress" ? SELF : peer,
          protocol: port.protocol,
          port: port.port,
        });
      }
    }
    return probes;
  },
  bad: (ctx) => {
    const probes: Probe[] = [
      {
        name: "internet-direct",
        description: "an internet host, bypassing the unified egress",
        from: SELF,
        to: { kind: "internet", ip: INTERNET_HOST },
        protocol: "TCP",
        port: 443,
      },
      {
        name: "egress-gateway-other-port",
        description: "the egress gateway on a port it does not serve",
        from: SELF,
        to: { kind: "egress-gateway" },
        protocol: "TCP",
        port: UNGRANTED_PORT,
      },
    ];
    if (internetEgress(ctx.zone, ZONE_EGRESS_PARAMS[ctx.level]) === "none") {
      probes.push({
        name: "no-internet-egress",
        description: `no internet egress for a level ${ctx.level} ${ctx.zone}-zone system`,
        from: SELF,
        to: { kind: "egress-gateway" },
        protocol: "TCP",
        port: gatewayPort(),
      });
    }
    const granted = (system: string, direction: "ingress" | "egress") => ctx.flows.some((f) => f.peer.system === system && f.direction === direction);
    for (const peer of ctx.peers) {
      const other: ProbeEndpoint = { kind: "system", system: peer.system };
      if (peer.zone !== ctx.zone) {
        if (!granted(peer.system, "egress"))
          probes.push({ name: `cross-zone-to-${peer.system}`, description: `to the ${peer.zone} zone`, from: SELF, to: other, protocol: "TCP", port: 8080 });
        if (!granted(peer.system, "ingress"))
          probes.push({
            name: `cross-zone-from-${peer.system}`,
            description: `from the ${peer.zone} zone`,
            from: other,
            to: SELF,
            protocol: "TCP",
            port: 8080,
          });
      } else if (peer.level < ctx.level && !granted(peer.system, "ingress")) {
        probes.push({
          name: `lower-level-from-${peer.system}`,
          description: `from level ${peer.level} without approval`,
          from: other,
          to: SELF,
          protocol: "TCP",
          port: 8080,
        });
      }
    }
    for (const flow of ctx.flows) {
      const peer: ProbeEndpoint = { kind: "system", system: flow.peer.system };
      if (flow.ports.some((p) => p.port === UNGRANTED_PORT)) continue;
      probes.push({
        name: `granted-${flow.direction}-${flow.peer.system}-other-port`,
        description: `granted peer ${flow.peer.system} on a port that was not granted`,
        from: flow.direction === "ingress" ? peer : SELF,
        to: flow.direction === "ingress" ? SELF : peer,
        protocol: "TCP",
        port: UNGRANTED_PORT,
      });
    }
    return probes;
  },
};
