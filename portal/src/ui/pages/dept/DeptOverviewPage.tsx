import { useQuery } from "@tanstack/react-query";
import { IN_FLIGHT_STATES } from "@zhengyun/db/vocabulary";
import { Card, Col, Row, Statistic } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useCurrentUser } from "../../api/current-user.js";
import { trpc } from "../../api/trpc.js";
import { QuotaChart } from "../../components/charts/QuotaChart.js";
import { StatesChart } from "../../components/charts/StatesChart.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { Loading } from "../../components/Loading.js";
import { PageHeader } from "../../components/PageHeader.js";
import { QuotaTable } from "../../components/QuotaTable.js";

export default function DeptOverviewPage() {
  const { t, i18n } = useTranslation();
  const me = useCurrentUser();
  const overview = useQuery(trpc.departments.overview.queryOptions({ id: me.departmentId }));
  const requests = useQuery(trpc.requests.list.queryOptions({ limit: 500 }));
  const pending = useQuery(trpc.requests.queue.queryOptions({ stage: "dept" }));
  const systems = useQuery(trpc.systems.list.queryOptions({ limit: 1000 }));

  if (overview.isPending) return <Loading />;
  if (overview.error) return <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} />;
  const d = overview.data;
  const states = (requests.data ?? []).map((r) => r.state);
  return (
    <>
      <PageHeader title={`${t("dept.title")} · ${i18n.language === "en" ? d.nameEn : d.name}`} intro={t("dept.intro")} />
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title={<Link to="/dept/approvals">{t("dept.pending")}</Link>} value={pending.data?.length ?? 0} loading={pending.isPending} />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic
              title={t("dept.openRequests")}
              value={states.filter((s) => (IN_FLIGHT_STATES as readonly string[]).includes(s)).length}
              loading={requests.isPending}
            />
          </Card>
        </Col>
        <Col xs={24} md={8}>
          <Card size="small">
            <Statistic title={t("dept.systems")} value={systems.data?.items.length ?? 0} loading={systems.isPending} />
          </Card>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} xl={15}>
          <Card
            size="small"
            title={t("quota.chartTitle")}
            extra={<span style={{ fontSize: 12, color: "#8c8c8c" }}>{t("quota.chartHint")}</span>}
            style={{ marginBottom: 16 }}
          >
            <QuotaChart limit={d.ceiling} held={d.held} used={d.used} limitLabel={t("quota.ceiling")} />
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <Card size="small" title={t("requests.byStateChart")} style={{ marginBottom: 16 }}>
            {requests.error ? <ErrorAlert error={requests.error} /> : <StatesChart states={states} height={300} />}
          </Card>
        </Col>
      </Row>
      <Card size="small" title={t("dept.table")}>
        <QuotaTable limit={d.ceiling} held={d.held} used={d.used} limitLabel={t("quota.ceiling")} />
      </Card>
    </>
  );
}
