/**
 * Kubernetes resource quantities: the one place they are parsed, compared and written in the
 * canonical form the API server stores ("1024Mi" is stored as "1Gi", "1000m" as "1", "2000" as
 * "2k"), so a compiled object and the object read back compare and hash alike. Values are exact
 * (a big integer times a power of ten); like the API server, anything finer than 1n rounds up.
 */

type Format = "DecimalSI" | "BinarySI" | "DecimalExponent";

/** `n × 10^scale`, with no trailing zeros in `n` (zero is `0 × 10^0`). */
export interface ExactQuantity {
  n: bigint;
  scale: number;
}

const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, "": 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL).map(([suffix, exponent]) => [exponent, suffix]));
const BINARY = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"] as const;

const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+)|(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei))?$/;
/** What a system's quota accepts: integer mantissas only (fractions are never needed there). */
const INTEGER_QUANTITY = /^(\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

const pow10 = (k: number) => 10n ** BigInt(k);
const abs = (n: bigint) => (n < 0n ? -n : n);

function normalised(n: bigint, scale: number): ExactQuantity {
  if (n === 0n) return { n: 0n, scale: 0 };
  while (n % 10n === 0n) {
    n /= 10n;
    scale += 1;
  }
  return { n, scale };
}

function parse(value: string): { exact: ExactQuantity; format: Format } | undefined {
  const match = QUANTITY.exec(value);
  if (!match) return undefined;
  const [, sign = "", number = "", exponent, suffix = ""] = match;
  const [whole = "", fraction = ""] = number.split(".");
  let n = BigInt(`${whole}${fraction}` || "0");
  let scale = 0 - fraction.length;
  let format: Format = "DecimalSI";
  if (exponent !== undefined) {
    scale += Number(exponent);
    format = "DecimalExponent";
  } else if (suffix.endsWith("i")) {
    n *= 1024n ** BigInt(BINARY.indexOf(suffix as (typeof BINARY)[number]));
    format = "BinarySI";
  } else {
    scale += DECIMAL[suffix] ?? 0;
  }
  if (scale < -9) {
    // Rounded up (away from zero) to a whole number of nano-units.
    const unit = pow10(-9 - scale);
    n = (n + unit - 1n) / unit;
    scale = -9;
  }
  return { exact: normalised(sign === "-" ? -n : n, scale), format };
}

/** The exact value of a quantity, undefined when it is not one. */
export function exactQuantity(value: string): ExactQuantity | undefined {
  return parse(value)?.exact;
}

/** Any Kubernetes quantity ("1500m", "0.5Gi", "1e3"), written as the API server stores it. */
export function canonicalQuantity(value: string): string {
  const parsed = parse(value);
  if (!parsed) throw new Error(`not a quantity: ${JSON.stringify(value)}`);
  const { exact, format } = parsed;
  if (exact.n === 0n) return "0";
  if (format === "BinarySI" && exact.scale >= 0) {
    let bytes = exact.n * pow10(exact.scale);
    // Below 1Ki the binary form would only be a plain number: the decimal one is used.
    if (abs(bytes) >= 1024n) {
      let step = 0;
      while (step < BINARY.length - 1 && bytes % 1024n === 0n) {
        bytes /= 1024n;
        step += 1;
      }
      return `${bytes}${BINARY[step]}`;
    }
  }
  // A multiple of three for the exponent, an integer mantissa.
  let exponent = 3 * Math.floor(exact.scale / 3);
  if (format !== "DecimalExponent" && exponent > 18) exponent = 18;
  const mantissa = exact.n * pow10(exact.scale - exponent);
  if (format === "DecimalExponent") return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  return `${mantissa}${DECIMAL_BY_EXPONENT.get(exponent) ?? ""}`;
}

/** Whether two strings are quantities of the same value ("1Gi" and "1024Mi", "1" and "1000m"). */
export function sameQuantity(a: string, b: string): boolean {
  const x = exactQuantity(a);
  const y = exactQuantity(b);
  return x !== undefined && y !== undefined && x.n === y.n && x.scale === y.scale;
}

/** The quantity as a number of base units (cores, bytes), undefined when it is not one. */
export function parseQuantity(value: string): number | undefined {
  const exact = exactQuantity(value.trim());
  if (!exact) return undefined;
  return exact.scale >= 0 ? Number(exact.n) * 10 ** exact.scale : Number(exact.n) / 10 ** -exact.scale;
}

/** The quantity as a number of base units; throws when it is not one. */
export function quantityValue(value: string): number {
  const parsed = parseQuantity(value);
  if (parsed === undefined) throw new Error(`not a quantity: ${JSON.stringify(value)}`);
  return parsed;
}

/** Whether `value` is an integer quantity, what a system's quota accepts ("8", "500m", "16Gi"). */
export function isIntegerQuantity(value: string): boolean {
  return INTEGER_QUANTITY.test(value);
}
