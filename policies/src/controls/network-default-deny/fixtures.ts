import type { NetworkFixtures, Probe } from "../../model/fixture.js";

const WEB = { app: "web" };

export const networkDefaultDenyFixtures: NetworkFixtures = {
  kind: "network",
  good: () => [
    {
      name: "within-system",
      description: "a pod reaches another pod of the same system",
      from: { kind: "self", pod: WEB },
      to: { kind: "self", pod: { app: "db" } },
      protocol: "TCP",
      port: 5432,
    },
  ],
  bad: (ctx) => {
    const granted = (system: string, direction: "ingress" | "egress") => ctx.flows.some((f) => f.peer.system === system && f.direction === direction);
    const probes: Probe[] = [
      {
        name: "from-internet",
        description: "an internet host connects in directly",
        from: { kind: "internet", ip: "198.51.100.20" },
        to: { kind: "self", pod: WEB },
        protocol: "TCP",
        port: 443,
      },
    ];
    for (const peer of ctx.peers) {
      if (!granted(peer.system, "ingress")) {
        probes.push({
          name: `from-${peer.system}`,
          description: `ungranted ingress from ${peer.system} (level ${peer.level}, ${peer.zone})`,
          from: { kind: "system", system: peer.system },
          to: { kind: "self", pod: WEB },
          protocol: "TCP",
          port: 8080,
        });
      }
      if (!granted(peer.system, "egress")) {
        probes.push({
          name: `to-${peer.system}`,
          description: `ungranted egress to ${peer.system} (level ${peer.level}, ${peer.zone})`,
          from: { kind: "self", pod: WEB },
          to: { kind: "system", system: peer.system },
          protocol: "TCP",
          port: 8080,
        });
      }
    }
    return probes;
  },
};
