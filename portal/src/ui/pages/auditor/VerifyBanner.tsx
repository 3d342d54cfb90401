import { ReloadOutlined, SafetyCertificateFilled, WarningFilled } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { Alert, Button, Spin, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { shortHash } from "../../lib/format.js";
import { KnownBreaks } from "./KnownBreaks.js";

/** The hash chain's verification result, the first thing an auditor sees. */
export function VerifyBanner() {
  const { t } = useTranslation();
  const verify = useQuery({ ...trpc.audit.verify.queryOptions(), staleTime: 0 });
  const again = (
    <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void verify.refetch()} loading={verify.isFetching}>
      {t("audit.reverify")}
    </Button>
  );
  if (verify.isPending) return <Alert type="info" showIcon icon={<Spin size="small" />} title={t("audit.verifying")} style={{ marginBottom: 20 }} />;
  if (verify.error) return <ErrorAlert error={verify.error} onRetry={() => void verify.refetch()} />;
  const v = verify.data;
  const titleStyle = { fontSize: 20, fontWeight: 600 } as const;
  const acknowledged = v.breaks.filter((b) => b.acknowledged).length;
  const banner = v.ok ? (
    <Alert
      type="success"
      showIcon
      icon={<SafetyCertificateFilled aria-hidden style={{ fontSize: 36 }} />}
      data-testid="audit-verify"
      data-ok="true"
      title={<span style={titleStyle}>{t("audit.verifyOk")}</span>}
      description={
        <Typography.Text>
          {t("audit.verifyOkDetail", { checked: v.checked, hash: shortHash(v.lastHash) })}
          {acknowledged > 0 && ` ${t("audit.breaks.okWithKnown", { count: acknowledged })}`}
        </Typography.Text>
      }
      action={again}
      style={{ marginBottom: 20, padding: "18px 24px" }}
    />
  ) : (
    <Alert
      type="error"
      showIcon
      role="alert"
      icon={<WarningFilled aria-hidden style={{ fontSize: 36 }} />}
      data-testid="audit-verify"
      data-ok="false"
      title={<span style={titleStyle}>{t("audit.verifyBroken")}</span>}
      description={t("audit.verifyBrokenDetail", {
        seq: v.firstBrokenSeq,
        reason: t(`audit.reason.${v.reason}`),
        checked: v.checked,
        total: v.total,
        count: v.breakCount - acknowledged,
      })}
      action={again}
      style={{ marginBottom: 20, padding: "18px 24px" }}
    />
  );
  return (
    <>
      {banner}
      <KnownBreaks breaks={v.breaks} breakCount={v.breakCount} />
    </>
  );
}
