import { Result } from "antd";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../api/current-user.js";
import { hasAny, type Role } from "../lib/roles.js";
import { LinkButton } from "./LinkButton.js";

/** Shows the page only to the roles it is for; the server checks again on every call. */
export function RequireRoles({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const me = useCurrentUser();
  if (hasAny(me.roles, roles)) return <>{children}</>;
  return (
    <Result
      status="403"
      title={t("app.forbidden")}
      subTitle={t("app.forbiddenHint")}
      extra={
        <LinkButton to="/" type="primary">
          {t("app.goHome")}
        </LinkButton>
      }
    />
  );
}
