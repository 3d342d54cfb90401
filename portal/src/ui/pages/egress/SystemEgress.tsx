import { useQuery } from "@tanstack/react-query";
import { Descriptions, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";

const BLOCKED = { internal: "egress.blockedInternal", level4: "egress.blockedLevel4", "no-bandwidth": "egress.blockedNoBandwidth" } as const;

/** A system's internet egress as the gateway enforces it now: allow-list, bandwidth and port. */
export function SystemEgress({ systemId }: { systemId: string }) {
  const { t } = useTranslation();
  const egress = useQuery(trpc.egress.system.queryOptions({ id: systemId }));
  if (egress.error) return <ErrorAlert error={egress.error} onRetry={() => void egress.refetch()} />;
  const e = egress.data;
  if (!e) return null;
  return (
    <Descriptions size="small" title={t("egress.effective")} column={{ xs: 1, md: 3 }}>
      {e.blocked ? (
        <Descriptions.Item label={t("egress.allowList")} span={3}>
          <Typography.Text type="secondary">{t(BLOCKED[e.blocked])}</Typography.Text>
        </Descriptions.Item>
      ) : (
        <>
          <Descriptions.Item label={t("egress.bandwidth")}>{`${e.bandwidthMbps} Mbps`}</Descriptions.Item>
          <Descriptions.Item label={t("egress.gatewayPort")}>{e.gatewayPort ?? t("egress.portPending")}</Descriptions.Item>
          <Descriptions.Item label={t("egress.allowList")} span={3}>
            {e.allowList.length ? e.allowList.map((d) => <Tag key={`${d.host}:${d.port}`}>{`${d.host}:${d.port}`}</Tag>) : t("wizard.noEgress")}
          </Descriptions.Item>
        </>
      )}
    </Descriptions>
  );
}
