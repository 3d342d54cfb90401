import { createHmac } from "node:crypto";
import { absoluteLink, type NotificationEvent, type NotificationParams, renderNotification, type WebhookFormat } from "@zhengyun/db/notifications/messages";

/** A message as it leaves the portal: what it says in both languages and where it points. */
export interface Message {
  deliveryId: number;
  event: NotificationEvent;
  params: NotificationParams;
  /** Absolute when the portal's public address is configured. */
  link: string;
  at: Date;
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export const SIGNATURE_HEADER = "X-Zhengyun-Signature";
export const TIMESTAMP_HEADER = "X-Zhengyun-Timestamp";

/** HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret, hex, as "sha256=<hex>". */
export function signBody(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** The generic JSON body: the event, both languages' text, the link and the parameters. */
export function genericPayload(m: Message) {
  const zh = renderNotification(m.event, m.params, "zh");
  const en = renderNotification(m.event, m.params, "en");
  return {
    id: String(m.deliveryId),
    event: m.event,
    occurredAt: m.at.toISOString(),
    title: zh.title,
    text: zh.body,
    titleEn: en.title,
    textEn: en.body,
    link: m.link,
    params: m.params,
  };
}

/** Markdown special characters of text people typed are neutralised, so a comment cannot add links. */
function plain(text: string): string {
  return text.replace(/[[\]()<>*_`]/g, " ");
}

/** 企业微信 group robot: {msgtype: "markdown", markdown: {content}}. */
export function wecomPayload(m: Message) {
  const zh = renderNotification(m.event, m.params, "zh");
  const content = [`**${plain(zh.title)}**`, `> ${plain(zh.body)}`, `[在政云中查看](${m.link})`].join("\n");
  return { msgtype: "markdown" as const, markdown: { content } };
}

/** 钉钉 custom robot: {msgtype: "markdown", markdown: {title, text}}. */
export function dingtalkPayload(m: Message) {
  const zh = renderNotification(m.event, m.params, "zh");
  const text = [`#### ${plain(zh.title)}`, `> ${plain(zh.body)}`, "", `[在政云中查看](${m.link})`].join("\n");
  return { msgtype: "markdown" as const, markdown: { title: zh.title, text } };
}

/**
 * 钉钉's signed robot address: timestamp (ms) and sign = base64(HMAC-SHA256(secret,
 * "<timestamp>\n<secret>")), URL-encoded, appended to the robot's address.
 */
export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = createHmac("sha256", secret).update(`${timestampMs}\n${secret}`).digest("base64");
  const u = new URL(url);
  u.searchParams.set("timestamp", String(timestampMs));
  u.searchParams.set("sign", sign);
  return u.toString();
}

/** The HTTP request a webhook of `format` sends for a message. */
export function webhookRequest(format: WebhookFormat, url: string, secret: string | null, m: Message, now: Date): OutgoingRequest {
  const headers: Record<string, string> = { "content-type": "application/json; charset=utf-8", "user-agent": "zhengyun-notifier" };
  switch (format) {
    case "generic": {
      const body = JSON.stringify(genericPayload(m));
      const ts = Math.floor(now.getTime() / 1000);
      headers["X-Zhengyun-Event"] = m.event;
      headers["X-Zhengyun-Delivery"] = String(m.deliveryId);
      headers[TIMESTAMP_HEADER] = String(ts);
      if (secret) headers[SIGNATURE_HEADER] = signBody(secret, ts, body);
      return { url, headers, body };
    }
    case "wecom":
      return { url, headers, body: JSON.stringify(wecomPayload(m)) };
    case "dingtalk":
      return { url: secret ? dingtalkSignedUrl(url, secret, now.getTime()) : url, headers, body: JSON.stringify(dingtalkPayload(m)) };
  }
}

/** A webhook address as lists and the delivery log show it: without its query (robots keep their token there). */
export function displayTarget(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** Retries: this many attempts in all, waiting 30 s, 1 min, 2 min, … (at most an hour) between them. */
export const MAX_ATTEMPTS = 6;
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Whether an HTTP answer is worth trying again: server errors and throttling, not a refusal. */
export function retryableStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export function messageFor(
  d: { id: number; event: NotificationEvent; params: NotificationParams; link: string; createdAt: Date },
  publicUrl?: string,
): Message {
  return { deliveryId: d.id, event: d.event, params: d.params, link: absoluteLink(publicUrl, d.link), at: d.createdAt };
}
