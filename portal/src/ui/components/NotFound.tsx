import { Result } from "antd";
import { useTranslation } from "react-i18next";
import { LinkButton } from "./LinkButton.js";

export function NotFound() {
  const { t } = useTranslation();
  return (
    <Result
      status="404"
      title={t("app.notFound")}
      subTitle={t("app.notFoundHint")}
      extra={
        <LinkButton to="/" type="primary">
          {t("app.goHome")}
        </LinkButton>
      }
    />
  );
}
