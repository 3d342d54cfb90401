// The unified internet egress gateway's configuration (Squid), rendered from the approved grants.
// Pure: same systems and settings, same text, same hash.
//
// Every eligible external-zone system gets its own listening port named after its namespace; the
// system's NetworkPolicy lets it reach only that port, so the port identifies the system without
// any pod-IP bookkeeping. Squid admits a request only when the port's name and the destination
// (host name, wildcard domain or public IP block, and TCP port) match one of that system's
// allow-list entries; HTTPS goes through CONNECT to an allowed host:port only; everything else is
// refused with 403 and logged. Each system's port has its own delay pool sized to its granted
// bandwidth (1 Mbps = 125 000 bytes/s), in both directions.

import { hashOf } from "@zhengyun/policies";
import { CONTROLS, type Level, type Zone } from "@zhengyun/policies/definitions";
import { type EgressHost, formatEgressHost, parseEgressHost, parsePort } from "@zhengyun/policies/egress-allowlist";

export interface GatewaySystem {
  systemId: string;
  /** The system's namespace: a DNS label, unique, used as the port's name. */
  namespace: string;
  departmentCode: string;
  zone: Zone;
  level: number;
  /** Granted 出口带宽 in Mbps. */
  egressMbps: number;
  destinations: readonly { host: string; port: number }[];
  /** The gateway port assigned to the system (see ports.ts). */
  port: number;
}

export interface GatewaySettings {
  /** Address the per-system ports listen on; undefined: every address (in a pod). */
  listenAddress?: string;
  /**
   * A port that belongs to no system and admits nothing: Squid always has one port to listen on
   * (also with no system at all), and probes and refused strays land there.
   */
  closedPort: number;
  /** The access log: a file, or `tcp://host:port` of a collector. */
  accessLog: string;
  cacheLog: string;
  pidFile: string;
  coredumpDir: string;
  /** A hosts file Squid resolves names from before DNS (tests name their "internet" here). */
  hostsFile?: string;
  /**
   * Refuse destinations that resolve into private, loopback or reserved space even when their
   * name is allowed (a name pointed at an internal address must not become a way in). Only the
   * loopback tests turn this off, since their "internet" is 127.0.0.1.
   */
  refuseInternalAddresses: boolean;
  /** How long Squid waits for open connections on shutdown, in seconds. */
  shutdownSeconds?: number;
}

export interface RenderedGateway {
  config: string;
  hash: string;
  /** The systems given a port, by namespace, with their port and bandwidth in bytes/s. */
  ports: { systemId: string; namespace: string; port: number; bytesPerSecond: number }[];
  /** Entries left out because they fail today's allow-list rules (stored before the rules). */
  skipped: { systemId: string; host: string; port: number; reason: string }[];
}

/** The largest delay pool rate Squid takes (a 32-bit signed byte count per second). */
const MAX_RATE = 2 ** 31 - 1;
export const BYTES_PER_MBPS = 125_000;

/** The format code line each connection leaves in the access log; parsed by log.ts. */
export const LOG_FORMAT = "zy1 %ts.%03tu %lp %>a %>rm %>rd %>rP %>Hs %Ss %>st %<st %tr";

/** Special-use IPv4 space (RFC 6890) that a destination must never resolve into. */
const INTERNAL_ADDRESSES = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "224.0.0.0/4",
  "240.0.0.0/4",
];
const LOOPBACK = ["127.0.0.0/8", "::1"];

const zoneEgress = CONTROLS.find((c) => c.id === "zone-egress");

/**
 * Whether a system gets a gateway port: external zone, a level whose catalog parameters allow
 * internet egress (level 4: none), and a granted bandwidth. Internal-zone systems never do.
 */
export function egressEligible(system: Pick<GatewaySystem, "zone" | "level" | "egressMbps">): boolean {
  if (system.zone !== "external") return false;
  const internet = zoneEgress?.parameters(system.level as Level)?.internet;
  if (internet === undefined || internet === "none") return false;
  return Number.isFinite(system.egressMbps) && system.egressMbps > 0;
}

interface Rule {
  port: number;
  names: string[];
  blocks: string[];
}

/** Groups a system's valid entries by TCP port; names covered by a wildcard of the same port are dropped. */
function rulesOf(system: GatewaySystem, skipped: RenderedGateway["skipped"]): Rule[] {
  const byPort = new Map<number, EgressHost[]>();
  for (const d of system.destinations) {
    const host = parseEgressHost(d.host);
    const port = parsePort(d.port);
    if (!host.ok || !port.ok) {
      skipped.push({ systemId: system.systemId, host: d.host, port: d.port, reason: host.ok ? (port.ok ? "" : port.error.en) : host.error.en });
      continue;
    }
    byPort.set(port.value, [...(byPort.get(port.value) ?? []), host.value]);
  }
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, hosts]) => {
      const wildcards = hosts.filter((h) => h.kind === "wildcard").map((h) => h.domain);
      const covered = (name: string) => wildcards.some((w) => name === w || name.endsWith(`.${w}`));
      const names = new Set<string>();
      for (const h of hosts) {
        if (h.kind === "name" && !covered(h.name)) names.add(h.name);
        // A wildcard inside another wildcard of the same port adds nothing.
        if (h.kind === "wildcard" && !wildcards.some((w) => w !== h.domain && h.domain.endsWith(`.${w}`))) names.add(`.${h.domain}`);
      }
      const blocks = new Set(hosts.filter((h) => h.kind === "ip" || h.kind === "cidr").map(formatEgressHost));
      return { port, names: [...names].sort(), blocks: [...blocks].sort() };
    })
    .filter((r) => r.names.length > 0 || r.blocks.length > 0);
}

function rate(mbps: number): number {
  return Math.min(MAX_RATE, Math.round(mbps * BYTES_PER_MBPS));
}

/** Renders the complete squid.conf for the given systems (ineligible ones are left out). */
export function renderGateway(systems: readonly GatewaySystem[], settings: GatewaySettings): RenderedGateway {
  const eligible = systems.filter(egressEligible).sort((a, b) => a.port - b.port || (a.namespace < b.namespace ? -1 : 1));
  const seenPorts = new Set<number>();
  const seenNames = new Set<string>();
  for (const s of eligible) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(s.namespace)) throw new Error(`namespace ${JSON.stringify(s.namespace)} is not a DNS label`);
    if (!Number.isInteger(s.port) || s.port < 1 || s.port > 65535) throw new Error(`gateway port ${s.port} of ${s.namespace} is out of range`);
    if (seenPorts.has(s.port) || s.port === settings.closedPort) throw new Error(`gateway port ${s.port} is assigned twice`);
    if (seenNames.has(s.namespace)) throw new Error(`namespace ${s.namespace} appears twice`);
    seenPorts.add(s.port);
    seenNames.add(s.namespace);
  }
  const skipped: RenderedGateway["skipped"] = [];
  const lines: string[] = [
    "# 统一互联网出口 / unified internet egress: rendered by the Zhengyun controller; do not edit.",
    "# One port per external-zone system; only its allow-list is reachable through it.",
    "",
    "workers 1",
    `pid_filename ${settings.pidFile}`,
    `cache_log ${settings.cacheLog}`,
    `coredump_dir ${settings.coredumpDir}`,
    "cache_store_log none",
    "netdb_filename none",
    "pinger_enable off",
    "cache deny all",
    "cache_mem 0 MB",
    "forwarded_for delete",
    "httpd_suppress_version_string on",
    `shutdown_lifetime ${settings.shutdownSeconds ?? 30} seconds`,
    `logformat zhengyun ${LOG_FORMAT}`,
    // A file on this host, or `tcp://host:port`: each line sent to the controller's collector
    // (in a cluster), where a line that cannot be sent is dropped rather than stopping the gateway.
    settings.accessLog.startsWith("tcp://")
      ? `access_log ${settings.accessLog} logformat=zhengyun on-error=drop`
      : `access_log stdio:${settings.accessLog} zhengyun`,
    "logfile_rotate 0",
    "buffered_logs off",
  ];
  if (settings.hostsFile) lines.push(`hosts_file ${settings.hostsFile}`);
  const refused = settings.refuseInternalAddresses ? [...INTERNAL_ADDRESSES, ...LOOPBACK] : INTERNAL_ADDRESSES;
  lines.push(
    "",
    "# The port of no system: admits nothing.",
    `http_port ${settings.listenAddress ? `${settings.listenAddress}:` : ""}${settings.closedPort} name=zy-closed`,
    `acl zy_internal dst ${refused.join(" ")}`,
  );

  const access: string[] = [];
  const ports: RenderedGateway["ports"] = [];
  for (const s of eligible) {
    const name = s.namespace;
    const bytesPerSecond = rate(s.egressMbps);
    ports.push({ systemId: s.systemId, namespace: name, port: s.port, bytesPerSecond });
    lines.push(
      "",
      `# ${name}: department ${s.departmentCode}, level ${s.level}, ${s.egressMbps} Mbps`,
      `http_port ${settings.listenAddress ? `${settings.listenAddress}:` : ""}${s.port} name=${name}`,
      `acl ${name} myportname ${name}`,
    );
    for (const rule of rulesOf(s, skipped)) {
      const portAcl = `${name}.p${rule.port}`;
      lines.push(`acl ${portAcl} port ${rule.port}`);
      if (rule.names.length) {
        lines.push(`acl ${portAcl}.names dstdomain -n ${rule.names.join(" ")}`);
        access.push(`http_access allow ${name} ${portAcl} ${portAcl}.names`);
      }
      if (rule.blocks.length) {
        lines.push(`acl ${portAcl}.blocks dst ${rule.blocks.join(" ")}`);
        access.push(`http_access allow ${name} ${portAcl} ${portAcl}.blocks`);
      }
    }
  }

  lines.push("", "# Access: a system's own entries through its own port; everything else is refused (403).");
  lines.push("http_access deny zy_internal", ...access, "http_access deny all", "icp_access deny all", "htcp_access deny all");

  if (eligible.length) {
    lines.push("", "# Bandwidth: one delay pool per system, its granted Mbps in bytes/s, both directions.");
    lines.push(`delay_pools ${eligible.length}`);
    eligible.forEach((s, i) => {
      const pool = i + 1;
      const r = rate(s.egressMbps);
      lines.push(`delay_class ${pool} 1`, `delay_parameters ${pool} ${r}/${r}`, `delay_access ${pool} allow ${s.namespace}`, `delay_access ${pool} deny all`);
    });
    lines.push(`client_delay_pools ${eligible.length}`);
    eligible.forEach((s, i) => {
      const pool = i + 1;
      const r = rate(s.egressMbps);
      lines.push(`client_delay_parameters ${pool} ${r} ${r}`, `client_delay_access ${pool} allow ${s.namespace}`, `client_delay_access ${pool} deny all`);
    });
  }
  const config = `${lines.join("\n")}\n`;
  return { config, hash: hashOf({ gateway: config }), ports, skipped };
}
