import dayjs from "dayjs";

/**
 * Dates arrive from the API as ISO strings (the server sends JSON without a transformer) even
 * though the router's types say Date; every date is formatted through here.
 */
export type DateLike = Date | string | number;

export function formatDateTime(value: DateLike | null | undefined): string {
  return value == null ? "—" : dayjs(value).format("YYYY-MM-DD HH:mm");
}

export function formatDate(value: DateLike | null | undefined): string {
  return value == null ? "—" : dayjs(value).format("YYYY-MM-DD");
}

export function toTime(value: DateLike | null | undefined): number {
  return value == null ? 0 : dayjs(value).valueOf();
}

export function formatNumber(n: number): string {
  return n.toLocaleString("en-US");
}

/** Large amounts shortened the reader's way: 1.2亿 in Chinese, 120M in English. */
export function formatCompact(n: number, language: string): string {
  if (Math.abs(n) < 1_000_000) return formatNumber(n);
  return new Intl.NumberFormat(language === "en" ? "en-US" : "zh-CN", { notation: "compact", maximumFractionDigits: 1 }).format(n);
}

/** First and last characters of a long hash, for display. */
export function shortHash(hash: string, keep = 10): string {
  return hash.length <= keep * 2 + 1 ? hash : `${hash.slice(0, keep)}…${hash.slice(-keep)}`;
}
