/** IPv4 segment arithmetic for carving network segments out of a zone's pool. */

export interface Block {
  /** First address as an unsigned 32-bit integer. */
  start: number;
  prefix: number;
}

export function parseCidr(cidr: string): Block {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!m) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { start: addr - (addr % size), prefix };
}

export function formatBlock(b: Block): string {
  const o = [24, 16, 8, 0].map((s) => Math.floor(b.start / 2 ** s) % 256);
  return `${o.join(".")}/${b.prefix}`;
}

const size = (b: Block) => 2 ** (32 - b.prefix);
const end = (b: Block) => b.start + size(b);

export function overlaps(a: Block, b: Block): boolean {
  return a.start < end(b) && b.start < end(a);
}

/**
 * The lowest block of `/prefix` inside `pool` that overlaps none of `taken`, or null when the
 * pool is exhausted. Blocks are aligned on their own size, as CIDR blocks must be.
 */
export function firstFreeBlock(pool: Block, taken: Block[], prefix: number): Block | null {
  if (prefix < pool.prefix || prefix > 32) return null;
  const step = 2 ** (32 - prefix);
  const sorted = taken.filter((t) => overlaps(t, pool)).sort((a, b) => a.start - b.start);
  let candidate = pool.start;
  for (const t of sorted) {
    if (candidate + step <= t.start) break;
    if (end(t) > candidate) candidate = Math.ceil(end(t) / step) * step;
  }
  return candidate + step <= end(pool) ? { start: candidate, prefix } : null;
}
