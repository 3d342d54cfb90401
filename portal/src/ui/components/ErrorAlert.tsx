import { Alert, Button } from "antd";
import { useTranslation } from "react-i18next";
import { describeError } from "../api/errors.js";
import { useErrorText } from "./useErrorText.js";

/** An error in plain words: what kind of failure (translated) and the server's own message. */
export function ErrorAlert({ error, onRetry, title: titleOverride }: { error: unknown; onRetry?: () => void; title?: string }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const { title, detail } = text(error);
  const info = describeError(error);
  return (
    <Alert
      type="error"
      showIcon
      title={titleOverride ?? title}
      description={detail}
      action={
        onRetry && (info.network || info.code === "INTERNAL_SERVER_ERROR") ? (
          <Button size="small" onClick={onRetry}>
            {t("app.retry")}
          </Button>
        ) : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
