/**
 * What a notification says, in Chinese and English, from its event and parameters. Pure and free of
 * database imports: the server renders mail and webhook messages with it, the browser the bell and
 * the notification centre. Parameters are names, numbers and reasons only, never a secret.
 */

export const NOTIFICATION_EVENTS = [
  "approval_waiting",
  "request_decided",
  "provisioning_done",
  "provisioning_failed",
  "drift_detected",
  "exemption_expiring",
  "grant_expiring",
  "low_rating",
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const WEBHOOK_FORMATS = ["generic", "wecom", "dingtalk"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const DELIVERY_STATUSES = ["pending", "sent", "failed", "skipped"] as const;

export type ApprovalStageName = "dept" | "ops" | "security";

export interface NotificationParams {
  requestNumber?: number;
  systemName?: string;
  departmentName?: string;
  stage?: ApprovalStageName;
  outcome?: "approved" | "rejected";
  reason?: string;
  /** Days left before a grant or an exemption ends. */
  days?: number;
  controlId?: string;
  drifted?: number;
  score?: number;
  comment?: string;
  kind?: "new" | "change" | "release";
}

export interface NotificationText {
  title: string;
  body: string;
}

const STAGE_ZH: Record<ApprovalStageName, string> = { dept: "部门审批", ops: "运维审批", security: "安全审批" };
const STAGE_EN: Record<ApprovalStageName, string> = { dept: "department approval", ops: "ops approval", security: "security approval" };

/** Free text from people and the controller is cut short, so a message stays a message. */
export function clip(text: string | undefined, max = 200): string {
  if (!text) return "";
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function req(p: NotificationParams, lang: "zh" | "en"): string {
  const n = p.requestNumber === undefined ? "" : `#${p.requestNumber}`;
  const sys = p.systemName ?? "";
  return lang === "zh" ? `申请 ${n}（${sys}）` : `request ${n} (${sys})`;
}

export function renderNotification(event: NotificationEvent, p: NotificationParams, lang: "zh" | "en"): NotificationText {
  const zh = lang === "zh";
  const stage = p.stage ?? "dept";
  const dept = p.departmentName ?? "";
  switch (event) {
    case "approval_waiting":
      return zh
        ? { title: `待${STAGE_ZH[stage]}：${req(p, "zh")}`, body: `${dept}的${req(p, "zh")}等待您的${STAGE_ZH[stage]}。` }
        : { title: `Waiting for ${STAGE_EN[stage]}: ${req(p, "en")}`, body: `${dept}'s ${req(p, "en")} waits for your ${STAGE_EN[stage]}.` };
    case "request_decided": {
      const approved = p.outcome === "approved";
      const reason = clip(p.reason);
      if (zh)
        return {
          title: `${req(p, "zh")}${approved ? "已通过" : "被驳回"}${STAGE_ZH[stage]}`,
          body: approved ? `您的${req(p, "zh")}已通过${STAGE_ZH[stage]}。` : `您的${req(p, "zh")}在${STAGE_ZH[stage]}被驳回：${reason}`,
        };
      return {
        title: `${req(p, "en")} ${approved ? "passed" : "was rejected at"} ${STAGE_EN[stage]}`,
        body: approved ? `Your ${req(p, "en")} passed ${STAGE_EN[stage]}.` : `Your ${req(p, "en")} was rejected at ${STAGE_EN[stage]}: ${reason}`,
      };
    }
    case "provisioning_done":
      return zh
        ? { title: `${req(p, "zh")}已开通`, body: `${req(p, "zh")}的资源已在云平台生效。` }
        : { title: `${req(p, "en")} is provisioned`, body: `The resources of ${req(p, "en")} are live on the platform.` };
    case "provisioning_failed":
      return zh
        ? { title: `${req(p, "zh")}开通失败`, body: `${req(p, "zh")}开通失败，平台将继续重试：${clip(p.reason)}` }
        : { title: `${req(p, "en")} failed to provision`, body: `Provisioning ${req(p, "en")} failed; the platform keeps retrying: ${clip(p.reason)}` };
    case "drift_detected":
      return zh
        ? { title: `合规偏离：${p.systemName ?? ""}`, body: `${dept}的信息系统「${p.systemName ?? ""}」有 ${p.drifted ?? 0} 项控制措施未生效。` }
        : {
            title: `Drift: ${p.systemName ?? ""}`,
            body: `${p.drifted ?? 0} control(s) of ${dept}'s system "${p.systemName ?? ""}" are not in force.`,
          };
    case "exemption_expiring":
      return zh
        ? {
            title: `豁免即将到期：${p.systemName ?? ""}`,
            body: `信息系统「${p.systemName ?? ""}」对控制项 ${p.controlId ?? ""} 的豁免将在 ${p.days ?? 0} 天内到期，到期后该控制将恢复执行。`,
          }
        : {
            title: `Exemption lapses soon: ${p.systemName ?? ""}`,
            body: `The exemption of "${p.systemName ?? ""}" from ${p.controlId ?? ""} lapses within ${p.days ?? 0} day(s); the control is then enforced again.`,
          };
    case "grant_expiring":
      return zh
        ? {
            title: `资源即将到期：${p.systemName ?? ""}`,
            body: `信息系统「${p.systemName ?? ""}」的资源将在 ${p.days ?? 0} 天内到期回收，如需继续使用请提交变更申请。`,
          }
        : {
            title: `Grant expires soon: ${p.systemName ?? ""}`,
            body: `The resources of "${p.systemName ?? ""}" are reclaimed within ${p.days ?? 0} day(s); file a change request to keep them.`,
          };
    case "low_rating":
      return zh
        ? { title: `差评：${req(p, "zh")} ${p.score ?? ""} 分`, body: `${dept}对${req(p, "zh")}评 ${p.score ?? ""} 分：${clip(p.comment)}` }
        : { title: `Low rating: ${req(p, "en")} scored ${p.score ?? ""}`, body: `${dept} rated ${req(p, "en")} ${p.score ?? ""}: ${clip(p.comment)}` };
  }
}

/** The notification's portal page, or the absolute link when the portal's public address is known. */
export function absoluteLink(publicUrl: string | undefined, link: string): string {
  if (!publicUrl) return link;
  return `${publicUrl.replace(/\/+$/, "")}${link.startsWith("/") ? link : `/${link}`}`;
}
