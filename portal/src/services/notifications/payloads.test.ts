import { createHmac } from "node:crypto";
import { grantWarning } from "@zhengyun/db/notifications/facts";
import { NOTIFICATION_EVENTS, renderNotification } from "@zhengyun/db/notifications/messages";
import { describe, expect, it } from "vitest";
import {
  dingtalkPayload,
  dingtalkSignedUrl,
  displayTarget,
  genericPayload,
  type Message,
  retryableStatus,
  retryDelayMs,
  signBody,
  webhookRequest,
  wecomPayload,
} from "./payloads.js";

const message: Message = {
  deliveryId: 42,
  event: "approval_waiting",
  params: { requestNumber: 17, systemName: "智慧环保监测平台", departmentName: "市生态环境局", stage: "ops" },
  link: "https://zhengyun.example.gov.cn/requests/5d0c6e8e-0000-4000-8000-000000000000",
  at: new Date("2026-12-03T08:00:00Z"),
};

describe("webhook payloads", () => {
  it("builds the 企业微信 robot's markdown message", () => {
    const p = wecomPayload(message);
    expect(p.msgtype).toBe("markdown");
    expect(Object.keys(p)).toEqual(["msgtype", "markdown"]);
    expect(Object.keys(p.markdown)).toEqual(["content"]);
    expect(p.markdown.content).toBe(
      [
        "**待运维审批：申请 #17（智慧环保监测平台）**",
        "> 市生态环境局的申请 #17（智慧环保监测平台）等待您的运维审批。",
        `[在政云中查看](${message.link})`,
      ].join("\n"),
    );
  });

  it("builds the 钉钉 robot's markdown message with a title", () => {
    const p = dingtalkPayload(message);
    expect(p).toEqual({
      msgtype: "markdown",
      markdown: {
        title: "待运维审批：申请 #17（智慧环保监测平台）",
        text: [
          "#### 待运维审批：申请 #17（智慧环保监测平台）",
          "> 市生态环境局的申请 #17（智慧环保监测平台）等待您的运维审批。",
          "",
          `[在政云中查看](${message.link})`,
        ].join("\n"),
      },
    });
  });

  it("keeps what people typed from adding markdown links", () => {
    const p = wecomPayload({ ...message, event: "low_rating", params: { requestNumber: 1, systemName: "s", score: 1, comment: "[点我](http://evil)" } });
    expect(p.markdown.content).not.toContain("](http://evil)");
  });

  it("signs 钉钉's robot address with timestamp and sign = base64(HMAC-SHA256(secret, ts\\nsecret))", () => {
    const url = dingtalkSignedUrl("https://oapi.dingtalk.com/robot/send?access_token=abc", "SECabc", 1_700_000_000_000);
    const u = new URL(url);
    expect(u.searchParams.get("access_token")).toBe("abc");
    expect(u.searchParams.get("timestamp")).toBe("1700000000000");
    const expected = createHmac("sha256", "SECabc").update("1700000000000\nSECabc").digest("base64");
    expect(u.searchParams.get("sign")).toBe(expected);
    // URL-encoded on the wire (base64 holds + and /).
    expect(url).toContain(`sign=${encodeURIComponent(expected)}`);
    // Without a secret the address goes as configured.
    expect(webhookRequest("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abc", null, message, new Date()).url).toBe(
      "https://oapi.dingtalk.com/robot/send?access_token=abc",
    );
  });

  it("signs the generic body with its timestamp, verifiable by the receiver", () => {
    const now = new Date("2026-12-03T08:00:05Z");
    const req = webhookRequest("generic", "https://hooks.example.org/in", "s3cret-value", message, now);
    const ts = req.headers["X-Zhengyun-Timestamp"];
    expect(ts).toBe(String(Math.floor(now.getTime() / 1000)));
    const mac = createHmac("sha256", "s3cret-value").update(`${ts}.${req.body}`).digest("hex");
    expect(req.headers["X-Zhengyun-Signature"]).toBe(`sha256=${mac}`);
    expect(signBody("s3cret-value", Number(ts), req.body)).toBe(`sha256=${mac}`);
    expect(JSON.parse(req.body)).toEqual(genericPayload(message));
    expect(JSON.parse(req.body)).toMatchObject({
      id: "42",
      event: "approval_waiting",
      link: message.link,
      titleEn: "Waiting for ops approval: request #17 (智慧环保监测平台)",
    });
    // No secret configured: no signature header.
    expect(webhookRequest("generic", "https://hooks.example.org/in", null, message, now).headers["X-Zhengyun-Signature"]).toBeUndefined();
  });

  it("shows a robot's address without the token in its query", () => {
    expect(displayTarget("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx")).toBe("https://qyapi.weixin.qq.com/cgi-bin/webhook/send");
  });
});

describe("retries", () => {
  it("backs off doubling from 30 seconds up to an hour", () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 3_600_000]);
  });
  it("retries server errors and throttling, not refusals", () => {
    expect([500, 502, 503, 429, 408].every(retryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 410].some(retryableStatus)).toBe(false);
  });
});

describe("grant warnings", () => {
  const day = 86_400_000;
  it("is due the smallest of 30, 7 and 1 days the grant is within", () => {
    expect(grantWarning(31 * day)).toBeNull();
    expect(grantWarning(30 * day)).toBe(30);
    expect(grantWarning(8 * day)).toBe(30);
    expect(grantWarning(7 * day)).toBe(7);
    expect(grantWarning(2 * day)).toBe(7);
    expect(grantWarning(day)).toBe(1);
    expect(grantWarning(60_000)).toBe(1);
    expect(grantWarning(0)).toBeNull();
  });
});

describe("texts", () => {
  it("says every event in both languages", () => {
    for (const event of NOTIFICATION_EVENTS) {
      for (const lang of ["zh", "en"] as const) {
        const t = renderNotification(event, { requestNumber: 3, systemName: "s", departmentName: "d", days: 7, score: 1, drifted: 2, controlId: "c" }, lang);
        expect(t.title.length).toBeGreaterThan(3);
        expect(t.body.length).toBeGreaterThan(3);
        expect(t.title).not.toContain("undefined");
        expect(t.body).not.toContain("undefined");
      }
    }
  });
});
