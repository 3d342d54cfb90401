/** IPv4 CIDR containment, enough to judge NetworkPolicy ipBlocks. */
function toNumber(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return parts.reduce((acc, p) => acc * 256 + p, 0);
}

export function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split("/");
  if (base === undefined || !base.includes(".")) return false; // IPv6 blocks never match IPv4 addresses
  const prefix = bits === undefined ? 32 : Number(bits);
  const size = 2 ** (32 - prefix);
  const start = Math.floor(toNumber(base) / size) * size;
  const address = toNumber(ip);
  return address >= start && address < start + size;
}
