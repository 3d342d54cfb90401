import { ipToNumber, parseEgressHost } from "@zhengyun/policies/egress-allowlist";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { egressEligible, type GatewaySettings, type GatewaySystem, renderGateway } from "./render.js";

const settings: GatewaySettings = {
  listenAddress: "127.0.0.1",
  closedPort: 20000,
  accessLog: "/var/log/zy/access.log",
  cacheLog: "/var/log/zy/cache.log",
  pidFile: "/run/zy/squid.pid",
  coredumpDir: "/var/spool/zy",
  refuseInternalAddresses: true,
};

function system(n: number, over: Partial<GatewaySystem> = {}): GatewaySystem {
  return {
    systemId: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    namespace: `zy-d${n % 7}-${String(n).padStart(10, "0")}`,
    departmentCode: `d${n % 7}`,
    zone: "external",
    level: 1 + (n % 3),
    egressMbps: 1 + n,
    destinations: [{ host: `api${n}.example.gov.cn`, port: 443 }],
    port: 20001 + n,
    ...over,
  };
}

/** The directives of one kind, split into words. */
function directives(config: string, name: string): string[][] {
  return config
    .split("\n")
    .filter((l) => l.startsWith(`${name} `))
    .map((l) => l.split(" ").slice(1));
}

/**
 * Squid's own decision for the rendered rules, for the ACL types the renderer uses: the first
 * http_access line whose ACLs all match decides. Hosts are what the client asks for; an IP-literal
 * host matches `dst`, a name matches `dstdomain` (with -n: no lookups). The rules are read once per
 * configuration; the returned function decides one request.
 */
function squid(config: string): (portName: string, host: string, port: number) => "allow" | "deny" {
  const acls = new Map<string, { type: string; values: string[] }>();
  for (const [name = "", type = "", ...values] of directives(config, "acl")) acls.set(name, { type, values: values.filter((v) => v !== "-n") });
  const access = directives(config, "http_access");
  return (portName, host, port) => {
    const ipHost = /^\d+\.\d+\.\d+\.\d+$/.test(host);
    const matches = (aclName: string): boolean => {
      if (aclName === "all") return true;
      const acl = acls.get(aclName);
      if (!acl) throw new Error(`undefined acl ${aclName}`);
      switch (acl.type) {
        case "myportname":
          return acl.values.includes(portName);
        case "port":
          return acl.values.map(Number).includes(port);
        case "dstdomain":
          return !ipHost && acl.values.some((d) => (d.startsWith(".") ? host === d.slice(1) || host.endsWith(d) : host === d));
        case "dst":
          return (
            ipHost &&
            acl.values.some((b) => {
              if (b.includes(":")) return false;
              const [net = "", prefix = "32"] = b.split("/");
              const size = 2 ** (32 - Number(prefix));
              const start = ipToNumber(net);
              return ipToNumber(host) >= start && ipToNumber(host) < start + size;
            })
          );
        default:
          throw new Error(`unexpected acl type ${acl.type}`);
      }
    };
    for (const [verdict, ...names] of access) if (names.every(matches)) return verdict as "allow" | "deny";
    return "deny";
  };
}

function decide(config: string, portName: string, host: string, port: number): "allow" | "deny" {
  return squid(config)(portName, host, port);
}

describe("gateway configuration", () => {
  it("gives every eligible system one named port, its own ACLs and its own delay pool", () => {
    const systems = Array.from({ length: 40 }, (_, n) => system(n));
    const { config, ports, hash } = renderGateway(systems, settings);
    expect(ports).toHaveLength(40);
    const httpPorts = directives(config, "http_port");
    expect(httpPorts).toHaveLength(41);
    expect(httpPorts[0]).toEqual(["127.0.0.1:20000", "name=zy-closed"]);
    for (const s of systems) {
      expect(httpPorts).toContainEqual([`127.0.0.1:${s.port}`, `name=${s.namespace}`]);
      expect(config).toContain(`acl ${s.namespace} myportname ${s.namespace}\n`);
      const pool = directives(config, "delay_access").find(([, verdict, acl]) => verdict === "allow" && acl === s.namespace)?.[0];
      expect(pool).toBeDefined();
      const rate = s.egressMbps * 125_000;
      expect(directives(config, "delay_parameters")).toContainEqual([pool, `${rate}/${rate}`]);
      expect(directives(config, "delay_class")).toContainEqual([pool, "1"]);
      expect(decide(config, s.namespace, `api${systems.indexOf(s)}.example.gov.cn`, 443)).toBe("allow");
      expect(decide(config, s.namespace, `api${systems.indexOf(s)}.example.gov.cn`, 80)).toBe("deny");
    }
    expect(directives(config, "delay_pools")).toEqual([["40"]]);
    // Everything not allowed is refused, and nothing is cached.
    const access = directives(config, "http_access");
    expect(access[access.length - 1]).toEqual(["deny", "all"]);
    expect(access[0]).toEqual(["deny", "zy_internal"]);
    expect(config).toContain("cache deny all\n");
    expect(hash).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("is pure and hashes what it renders: input order does not matter, a changed grant does", () => {
    const systems = Array.from({ length: 5 }, (_, n) => system(n));
    const first = system(0);
    const a = renderGateway(systems, settings);
    expect(renderGateway([...systems].reverse(), settings)).toEqual(a);
    const grown = renderGateway([{ ...first, egressMbps: 99 }, ...systems.slice(1)], settings);
    expect(grown.hash).not.toBe(a.hash);
    const released = renderGateway(systems.slice(1), settings);
    expect(released.config).not.toContain(first.namespace);
    expect(released.hash).not.toBe(a.hash);
  });

  it("gives internal-zone systems, level 4 systems and systems without bandwidth no port", () => {
    const internal = system(1, { zone: "internal" });
    const level4 = system(2, { level: 4 });
    const noBandwidth = system(3, { egressMbps: 0 });
    const ok = system(4);
    for (const s of [internal, level4, noBandwidth]) expect(egressEligible(s)).toBe(false);
    const { config, ports } = renderGateway([internal, level4, noBandwidth, ok], settings);
    expect(ports.map((p) => p.namespace)).toEqual([ok.namespace]);
    for (const s of [internal, level4, noBandwidth]) expect(config).not.toContain(s.namespace);
  });

  it("renders wildcard domains, IP blocks and ports as Squid ACLs and drops entries today's rules refuse", () => {
    const s = system(1, {
      destinations: [
        { host: "api.example.gov.cn", port: 443 },
        { host: "*.example.gov.cn", port: 443 },
        { host: "www.stats.gov.cn", port: 80 },
        { host: "203.0.113.0/24", port: 443 },
        { host: "10.1.0.0/16", port: 443 },
        { host: "*", port: 443 },
      ],
    });
    const { config, skipped } = renderGateway([s], settings);
    const name = s.namespace;
    expect(config).toContain(`acl ${name}.p443.names dstdomain -n .example.gov.cn\n`);
    expect(config).toContain(`acl ${name}.p443.blocks dst 203.0.113.0/24\n`);
    expect(config).toContain(`acl ${name}.p80.names dstdomain -n www.stats.gov.cn\n`);
    expect(skipped.map((k) => k.host)).toEqual(["10.1.0.0/16", "*"]);
    expect(decide(config, name, "example.gov.cn", 443)).toBe("allow");
    expect(decide(config, name, "deep.api.example.gov.cn", 443)).toBe("allow");
    expect(decide(config, name, "203.0.113.77", 443)).toBe("allow");
    expect(decide(config, name, "203.0.114.1", 443)).toBe("deny");
    expect(decide(config, name, "www.stats.gov.cn", 443)).toBe("deny");
    expect(decide(config, name, "evil-example.gov.cn", 443)).toBe("deny");
    expect(decide(config, "zy-closed", "api.example.gov.cn", 443)).toBe("deny");
  });

  it("refuses two systems on one port", () => {
    expect(() => renderGateway([system(1), system(2, { port: system(1).port })], settings)).toThrow(/twice/);
    expect(() => renderGateway([system(1, { port: settings.closedPort })], settings)).toThrow(/twice/);
  });

  it("never lets one system's port admit a destination only another system was granted", () => {
    const label = fc.constantFrom("api", "data", "www", "x", "mail", "cdn");
    const dom = fc.constantFrom("example.gov.cn", "stats.gov.cn", "example.com", "yz.gov.cn");
    const host = fc.oneof(
      fc.tuple(label, dom).map(([l, d]) => `${l}.${d}`),
      dom.map((d) => `*.${d}`),
      fc.tuple(fc.constantFrom(203, 198, 8), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 })).map(([a, b, c]) => `${a}.${b}.${c}.1`),
      fc.tuple(fc.constantFrom(203, 8), fc.integer({ min: 0, max: 255 })).map(([a, b]) => `${a}.${b}.0.0/16`),
    );
    const dest = fc.record({ host, port: fc.constantFrom(80, 443, 8443) });
    const systems = fc.array(fc.array(dest, { maxLength: 6 }), { minLength: 2, maxLength: 6 });
    fc.assert(
      fc.property(systems, (lists) => {
        const rendered = lists.map((destinations, n) => system(n, { destinations, level: 1 + (n % 3) }));
        const { config } = renderGateway(rendered, settings);
        const decideIn = squid(config);
        const probes = (h: string): string[] => {
          if (h.startsWith("*.")) return [h.slice(2), `zz.${h.slice(2)}`];
          if (h.includes("/")) return [h.replace(/0\.0\/16$/, "7.9")];
          return [h];
        };
        // Whether an entry list admits host:port, by the allow-list's meaning (not Squid's).
        const admits = (list: readonly { host: string; port: number }[], h: string, p: number) =>
          list.some((e) => {
            if (e.port !== p || !parseEgressHost(e.host).ok) return false;
            if (e.host.startsWith("*.")) return h === e.host.slice(2) || h.endsWith(e.host.slice(1));
            if (e.host.includes("/")) {
              const [net = "", prefix = "32"] = e.host.split("/");
              const size = 2 ** (32 - Number(prefix));
              return /^\d+\.\d+\.\d+\.\d+$/.test(h) && ipToNumber(h) >= ipToNumber(net) && ipToNumber(h) < ipToNumber(net) + size;
            }
            return e.host === h;
          });
        // Every request whose verdict differs from the allow-list's, as "namespace → host:port verdict".
        const wrong: string[] = [];
        for (const a of rendered)
          for (const b of rendered)
            for (const e of b.destinations)
              for (const h of probes(e.host)) {
                const verdict = decideIn(a.namespace, h, e.port);
                if (verdict !== (admits(a.destinations, h, e.port) ? "allow" : "deny")) wrong.push(`${a.namespace} → ${h}:${e.port} ${verdict}`);
              }
        expect(wrong).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
