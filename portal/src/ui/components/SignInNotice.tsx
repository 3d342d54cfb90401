import { Alert, Flex } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../api/current-user.js";
import { formatDateTime } from "../lib/format.js";

/** After sign-in: when and from where the previous successful and the last failed sign-in were (身份鉴别 提示). */
export function SignInNotice() {
  const { t } = useTranslation();
  const me = useCurrentUser();
  const [open, setOpen] = useState(true);
  if (!open || !me.notice) return null;
  const { lastLogin, lastFailed } = me.notice;
  const ip = (value: string | null) => value ?? t("account.unknownIp");
  return (
    <Alert
      data-testid="sign-in-notice"
      type={lastFailed ? "warning" : "info"}
      showIcon
      closable={{ onClose: () => setOpen(false) }}
      title={t("account.noticeTitle")}
      description={
        <Flex vertical gap={2}>
          <span data-testid="last-login">
            {lastLogin ? t("account.lastLogin", { at: formatDateTime(lastLogin.at), ip: ip(lastLogin.ip) }) : t("account.firstLogin")}
          </span>
          <span data-testid="last-failed">
            {lastFailed ? t("account.lastFailed", { at: formatDateTime(lastFailed.at), ip: ip(lastFailed.ip) }) : t("account.noFailed")}
          </span>
        </Flex>
      }
      style={{ marginBottom: 16 }}
    />
  );
}
