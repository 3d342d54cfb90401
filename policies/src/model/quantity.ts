/**
 * Kubernetes resource quantities in the canonical form the API server
 * serialises them in, so that a compiled object and the object read back from
 * the cluster hash identically ("1024Mi" is stored as "1Gi", "2000" as "2k").
 * Only integer mantissas are accepted: fractional quantities are a source of
 * surprises and are never needed for quotas.
 */
const BINARY: ReadonlyArray<readonly [string, number]> = [
  ["", 0],
  ["Ki", 1],
  ["Mi", 2],
  ["Gi", 3],
  ["Ti", 4],
  ["Pi", 5],
  ["Ei", 6],
];
const DECIMAL: ReadonlyArray<readonly [string, number]> = [
  ["m", -3],
  ["", 0],
  ["k", 3],
  ["M", 6],
  ["G", 9],
  ["T", 12],
  ["P", 15],
  ["E", 18],
];

const QUANTITY = /^(\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

export function isQuantity(value: string): boolean {
  return QUANTITY.test(value);
}

export function canonicalQuantity(value: string): string {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`not an integer quantity: ${JSON.stringify(value)}`);
  const mantissa = BigInt(match[1] ?? "0");
  const suffix = match[2] ?? "";
  if (mantissa === 0n) return "0";
  if (suffix.endsWith("i")) {
    const power = BINARY.find(([s]) => s === suffix)?.[1] ?? 0;
    let bytes = mantissa * 1024n ** BigInt(power);
    let step = 0;
    while (step < 6 && bytes % 1024n === 0n) {
      bytes /= 1024n;
      step += 1;
    }
    return `${bytes}${BINARY[step]?.[0] ?? ""}`;
  }
  const exponent = DECIMAL.find(([s]) => s === suffix)?.[1] ?? 0;
  // Work in milli-units so "m" is exact.
  let milli = mantissa * 10n ** BigInt(exponent + 3);
  let index = 0; // DECIMAL[0] is milli
  while (index < DECIMAL.length - 1 && milli % 1000n === 0n) {
    milli /= 1000n;
    index += 1;
  }
  return `${milli}${DECIMAL[index]?.[0] ?? ""}`;
}

/** The quantity as a number of base units (cores, bytes), for comparisons. */
export function quantityValue(value: string): number {
  const match = QUANTITY.exec(value);
  if (!match) throw new Error(`not an integer quantity: ${JSON.stringify(value)}`);
  const mantissa = Number(match[1]);
  const suffix = match[2] ?? "";
  if (suffix.endsWith("i")) return mantissa * 1024 ** (BINARY.find(([s]) => s === suffix)?.[1] ?? 0);
  return mantissa * 10 ** (DECIMAL.find(([s]) => s === suffix)?.[1] ?? 0);
}
