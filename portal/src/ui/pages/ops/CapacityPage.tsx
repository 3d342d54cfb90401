import { useQuery } from "@tanstack/react-query";
import { Card } from "antd";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { QuotaChart } from "../../components/charts/QuotaChart.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { Loading } from "../../components/Loading.js";
import { PageHeader } from "../../components/PageHeader.js";
import { QuotaTable } from "../../components/QuotaTable.js";

export default function CapacityPage() {
  const { t } = useTranslation();
  const capacity = useQuery(trpc.platform.capacity.queryOptions());
  if (capacity.isPending) return <Loading />;
  if (capacity.error) return <ErrorAlert error={capacity.error} onRetry={() => void capacity.refetch()} />;
  const c = capacity.data;
  return (
    <>
      <PageHeader title={t("ops.capacityTitle")} intro={t("ops.capacityIntro")} />
      <Card
        size="small"
        title={t("quota.chartTitle")}
        extra={<span style={{ fontSize: 12, color: "#8c8c8c" }}>{t("quota.chartHint")}</span>}
        style={{ marginBottom: 16 }}
      >
        <QuotaChart limit={c.capacity} held={c.held} used={c.used} limitLabel={t("quota.capacity")} height={320} />
      </Card>
      <Card size="small">
        <QuotaTable limit={c.capacity} held={c.held} used={c.used} limitLabel={t("quota.capacity")} />
      </Card>
    </>
  );
}
