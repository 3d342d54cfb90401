/**
 * Allow-list entries of the unified internet egress (统一互联网出口), parsed once and shared by the
 * request schemas (portal), the wizard (UI) and the gateway configuration (controller).
 *
 * An entry is a destination host and a TCP port. The host is one of
 * - a host name: `api.example.gov.cn` (letters, digits, hyphens; at least two labels; the last
 *   label alphabetic, so `1.2.3.4` is never read as a name);
 * - a wildcard domain: `*.example.gov.cn` (that domain's sub-domains and the domain itself); the
 *   wildcard must stand for a whole left-most label and leave at least a registrable domain
 *   (two labels) to its right, so `*`, `*.cn`, `*.gov.cn`-style public suffixes of one label and
 *   `a.*.cn` are refused;
 * - a public IPv4 address or CIDR block no wider than /16 (65 536 addresses). Blocks that reach
 *   into special-use space (RFC 1918 private ranges, loopback, link-local, carrier-grade NAT,
 *   multicast, reserved, `0.0.0.0/8`) are refused: the egress leads to the internet, and a
 *   route back into government or cluster address space through it would bypass zone isolation.
 *   The /16 bound keeps an allow-list an allow-list: `0.0.0.0/0` and any block "about as wide as
 *   the internet" are refused outright.
 * Ports are whole numbers 1–65535.
 */

export type EgressHost =
  | { kind: "name"; name: string }
  | { kind: "wildcard"; domain: string }
  | { kind: "ip"; address: string }
  | { kind: "cidr"; network: string; prefix: number };

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: EgressEntryError };

export interface EgressEntryError {
  code: "empty" | "anything" | "syntax" | "wildcard" | "private" | "too-wide" | "port";
  zh: string;
  en: string;
}

/** The widest block an entry may name. */
export const WIDEST_PREFIX = 16;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,63}$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/;

/** Special-use IPv4 space (RFC 6890) that an internet egress must never lead into. */
export const SPECIAL_USE: readonly { network: string; prefix: number }[] = [
  { network: "0.0.0.0", prefix: 8 },
  { network: "10.0.0.0", prefix: 8 },
  { network: "100.64.0.0", prefix: 10 },
  { network: "127.0.0.0", prefix: 8 },
  { network: "169.254.0.0", prefix: 16 },
  { network: "172.16.0.0", prefix: 12 },
  { network: "192.0.0.0", prefix: 24 },
  { network: "192.168.0.0", prefix: 16 },
  { network: "198.18.0.0", prefix: 15 },
  { network: "224.0.0.0", prefix: 4 },
  { network: "240.0.0.0", prefix: 4 },
];

const fail = (code: EgressEntryError["code"], zh: string, en: string): { ok: false; error: EgressEntryError } => ({
  ok: false,
  error: { code, zh, en },
});

export function ipToNumber(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

export function numberToIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

/** The first address and the size of a block. */
function range(network: string, prefix: number): [number, number] {
  return [ipToNumber(network), 2 ** (32 - prefix)];
}

function overlaps(a: { network: string; prefix: number }, b: { network: string; prefix: number }): boolean {
  const [aStart, aSize] = range(a.network, a.prefix);
  const [bStart, bSize] = range(b.network, b.prefix);
  return aStart < bStart + bSize && bStart < aStart + aSize;
}

function parseIp(text: string): ParseResult<EgressHost> | null {
  const m = IPV4.exec(text);
  if (!m) return null;
  const octets = m.slice(1, 5).map(Number);
  if (octets.some((o, i) => o > 255 || ((m[i + 1] ?? "").length > 1 && (m[i + 1] ?? "").startsWith("0"))))
    return fail("syntax", `IPv4 地址格式不正确：${text}`, `not a valid IPv4 address: ${text}`);
  const address = octets.join(".");
  const prefix = m[5] === undefined ? 32 : Number(m[5]);
  if (prefix > 32) return fail("syntax", `网段前缀应为 0–32：${text}`, `a CIDR prefix is 0–32: ${text}`);
  if (prefix === 0)
    return fail("anything", "不允许 0.0.0.0/0（任意地址）：请列出具体的目的地址", "0.0.0.0/0 (any address) is not allowed: list the actual destinations");
  if (prefix < WIDEST_PREFIX)
    return fail("too-wide", `网段 ${text} 过大：最大允许 /${WIDEST_PREFIX}`, `the block ${text} is too wide: at most /${WIDEST_PREFIX} is allowed`);
  const start = ipToNumber(address);
  const size = 2 ** (32 - prefix);
  if (start % size !== 0)
    return fail(
      "syntax",
      `网段 ${text} 的地址不是网络地址（应为 ${numberToIp(start - (start % size))}/${prefix}）`,
      `${text} is not a network address (use ${numberToIp(start - (start % size))}/${prefix})`,
    );
  const block = { network: address, prefix };
  const special = SPECIAL_USE.find((s) => overlaps(s, block));
  if (special)
    return fail(
      "private",
      `${text} 属于内网或保留地址段 ${special.network}/${special.prefix}，不能经互联网出口访问`,
      `${text} lies in private or reserved space ${special.network}/${special.prefix}, which is not reachable through the internet egress`,
    );
  return { ok: true, value: prefix === 32 && m[5] === undefined ? { kind: "ip", address } : { kind: "cidr", network: address, prefix } };
}

function validDomain(labels: string[]): boolean {
  return labels.length >= 2 && labels.every((l) => LABEL.test(l)) && TLD.test(labels[labels.length - 1] ?? "") && labels.join(".").length <= 253;
}

/** Parses a destination host as entered; names are lower-cased. */
export function parseEgressHost(input: string): ParseResult<EgressHost> {
  const text = input.trim().toLowerCase();
  if (text === "") return fail("empty", "请输入目的域名或 IPv4 地址/网段", "enter a destination host name or IPv4 address/CIDR");
  if (text === "*" || text === "*.*" || text === "0.0.0.0/0" || text === "0.0.0.0" || text === "any")
    return fail(
      "anything",
      "不允许“任意地址”（* 或 0.0.0.0/0）：请列出具体的目的地址",
      "“any destination” (* or 0.0.0.0/0) is not allowed: list the actual destinations",
    );
  const ip = parseIp(text);
  if (ip) return ip;
  if (text.includes("*")) {
    if (!text.startsWith("*.") || text.slice(2).includes("*"))
      return fail(
        "wildcard",
        `通配符只能写在最左侧，如 *.example.gov.cn：${text}`,
        `a wildcard stands only for the left-most label, as in *.example.gov.cn: ${text}`,
      );
    const labels = text.slice(2).split(".");
    if (!validDomain(labels))
      return fail(
        "wildcard",
        `通配域名应为 *.<至少两级的域名>，如 *.example.gov.cn：${text}`,
        `a wildcard domain is *.<a domain of two labels or more>, e.g. *.example.gov.cn: ${text}`,
      );
    return { ok: true, value: { kind: "wildcard", domain: labels.join(".") } };
  }
  if (!validDomain(text.split(".")))
    return fail(
      "syntax",
      `应为域名（如 api.example.gov.cn）或 IPv4 地址/网段：${text}`,
      `use a host name (e.g. api.example.gov.cn) or an IPv4 address/CIDR: ${text}`,
    );
  return { ok: true, value: { kind: "name", name: text } };
}

export function parsePort(port: number): ParseResult<number> {
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    return fail("port", `端口应为 1–65535 之间的整数：${port}`, `a port is a whole number from 1 to 65535: ${port}`);
  return { ok: true, value: port };
}

/** The host as stored and rendered: lower-case, `*.domain`, `a.b.c.d` or `a.b.c.d/n`. */
export function formatEgressHost(host: EgressHost): string {
  switch (host.kind) {
    case "name":
      return host.name;
    case "wildcard":
      return `*.${host.domain}`;
    case "ip":
      return host.address;
    case "cidr":
      return `${host.network}/${host.prefix}`;
  }
}

/** The message zod reports: Chinese first, then English. */
export function egressErrorMessage(error: EgressEntryError): string {
  return `${error.zh} / ${error.en}`;
}
