import { useQuery } from "@tanstack/react-query";
import { Card, Col, Empty, Rate, Row, Table, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { Chart } from "../../components/charts/Chart.js";
import { scoresOption } from "../../components/charts/options.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { Loading } from "../../components/Loading.js";
import { PageHeader } from "../../components/PageHeader.js";
import { formatDateTime } from "../../lib/format.js";

type LowRating = RouterOutputs["ratings"]["summary"]["low"][number];

const CHART_UNITS = 15;

export default function RatingsPage() {
  const { t } = useTranslation();
  const summary = useQuery(trpc.ratings.summary.queryOptions());
  if (summary.isPending) return <Loading />;
  if (summary.error) return <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />;
  const { perDepartment, low } = summary.data;
  // The server lists units lowest average first; the ones that need attention fit on screen.
  const bars = perDepartment.slice(0, CHART_UNITS).map((d) => ({ label: d.departmentName, value: d.average, count: d.count }));
  return (
    <>
      <PageHeader title={t("ops.ratingsTitle")} intro={t("ops.ratingsIntro")} />
      <Row gutter={16}>
        <Col xs={24} xl={10}>
          <Card
            size="small"
            title={t("rating.perDepartment")}
            extra={
              perDepartment.length > CHART_UNITS ? (
                <span style={{ fontSize: 12, color: "#8c8c8c" }}>{t("rating.lowestUnits", { count: CHART_UNITS })}</span>
              ) : null
            }
            style={{ marginBottom: 16 }}
          >
            {bars.length === 0 ? (
              <Empty description={t("empty.ratings")} />
            ) : (
              <Chart
                option={scoresOption(bars, { average: t("rating.average"), count: t("rating.count") })}
                height={Math.max(220, bars.length * 34)}
                label={`${t("rating.perDepartment")}: ${bars.map((b) => `${b.label} ${b.value}`).join(", ")}`}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card size="small" title={t("rating.low")}>
            <Table<LowRating>
              rowKey="requestId"
              size="small"
              dataSource={low}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: <Empty description={t("empty.lowRatings")} /> }}
              columns={[
                { title: t("rating.score"), dataIndex: "score", width: 150, render: (s: number) => <Rate disabled value={s} style={{ fontSize: 14 }} /> },
                {
                  title: t("requests.system"),
                  key: "system",
                  render: (_, row) => (
                    <>
                      <Link to={`/requests/${row.requestId}`}>#{row.number}</Link> {row.systemName}
                      <br />
                      <Typography.Text type="secondary">{row.departmentName}</Typography.Text>
                    </>
                  ),
                },
                {
                  title: t("rating.comment"),
                  dataIndex: "comment",
                  render: (c: string) => <Typography.Paragraph style={{ margin: 0, whiteSpace: "pre-wrap" }}>{c || "—"}</Typography.Paragraph>,
                },
                { title: t("common.createdAt"), dataIndex: "createdAt", width: 140, render: (d: LowRating["createdAt"]) => formatDateTime(d) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </>
  );
}
