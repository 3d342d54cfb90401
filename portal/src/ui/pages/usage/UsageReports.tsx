import { useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Empty, Flex, Select, Space, Table, Tag, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { Chart } from "../../components/charts/Chart.js";
import { usageOption } from "../../components/charts/options.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { RESOURCES, type Resource } from "../../lib/resources.js";

/** The last twelve months, newest first, as YYYY-MM (UTC). */
export function recentMonths(now = new Date(), n = 12): string[] {
  return Array.from({ length: n }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** Saves base64 content as a file through the browser's own download. */
function download(name: string, contentType: string, base64: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
const yuan = (fen: number) => (fen / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const hours = (n: number) => (Math.round(n * 100) / 100).toLocaleString();

function UsageChartCard({ departmentId }: { departmentId: string | undefined }) {
  const { t } = useTranslation();
  const [resource, setResource] = useState<Resource>("vcpu");
  const [days, setDays] = useState(30);
  const series = useQuery(trpc.usage.series.queryOptions({ ...(departmentId ? { departmentId } : {}), resource, days }));
  const points = series.data?.points ?? [];
  return (
    <Card
      size="small"
      title={t("usage.chartTitle")}
      style={{ marginBottom: 16 }}
      extra={
        <Space>
          <Select<Resource>
            aria-label={t("usage.resource")}
            value={resource}
            onChange={setResource}
            style={{ width: 160 }}
            options={RESOURCES.map((r) => ({ value: r, label: t(`resource.${r}`) }))}
          />
          <Select<number>
            aria-label={t("usage.window")}
            value={days}
            onChange={setDays}
            style={{ width: 120 }}
            options={[1, 7, 30, 90, 365].map((n) => ({ value: n, label: t("usage.days", { n }) }))}
          />
        </Space>
      }
    >
      {series.error ? <ErrorAlert error={series.error} onRetry={() => void series.refetch()} /> : null}
      {points.length === 0 && !series.isPending ? (
        <Empty description={t("usage.noData")} />
      ) : (
        <div data-testid="usage-chart">
          <Chart
            height={320}
            label={`${t("usage.chartTitle")} · ${t(`resource.${resource}`)}`}
            option={usageOption(points, { used: t("usage.used"), granted: t("usage.granted"), unit: t(`unit.${resource}`) })}
          />
        </div>
      )}
    </Card>
  );
}

function IdleCard({ departmentId, showDepartment }: { departmentId: string | undefined; showDepartment: boolean }) {
  const { t, i18n } = useTranslation();
  const idle = useQuery(trpc.usage.idle.queryOptions(departmentId ? { departmentId } : {}));
  type Row = NonNullable<typeof idle.data>[number];
  return (
    <Card
      size="small"
      title={t("usage.idleTitle")}
      extra={<Typography.Text type="secondary">{t("usage.idleHint")}</Typography.Text>}
      style={{ marginBottom: 16 }}
    >
      {idle.error ? <ErrorAlert error={idle.error} onRetry={() => void idle.refetch()} /> : null}
      <Table<Row>
        size="small"
        rowKey={(r) => `${r.systemId}/${r.resource}`}
        loading={idle.isPending}
        dataSource={idle.data ?? []}
        pagination={false}
        locale={{ emptyText: t("usage.idleNone") }}
        columns={[
          ...(showDepartment
            ? [{ title: t("usage.department"), key: "d", render: (_: unknown, r: Row) => (i18n.language === "en" ? r.departmentNameEn : r.departmentName) }]
            : []),
          { title: t("usage.system"), dataIndex: "systemName" },
          { title: t("usage.resource"), key: "r", render: (_: unknown, r: Row) => t(`resource.${r.resource}`) },
          { title: t("usage.grantedNow"), key: "g", render: (_: unknown, r: Row) => `${r.granted} ${t(`unit.${r.resource}`)}` },
          { title: t("usage.usedShare"), key: "u", render: (_: unknown, r: Row) => <Tag color="orange">{pct(r.usedShare)}</Tag> },
          { title: t("usage.peakShare"), key: "p", render: (_: unknown, r: Row) => pct(r.peakShare) },
        ]}
      />
    </Card>
  );
}

function MonthlyCard({ departmentId }: { departmentId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const months = recentMonths();
  const [month, setMonth] = useState(months[0]!);
  const [exporting, setExporting] = useState<"csv" | "xlsx" | null>(null);
  const report = useQuery(trpc.usage.monthly.queryOptions({ departmentId, month }));
  type Row = NonNullable<typeof report.data>["rows"][number];
  const exportAs = async (format: "csv" | "xlsx") => {
    setExporting(format);
    try {
      const file = await queryClient.fetchQuery(trpc.usage.exportReport.queryOptions({ departmentId, month, format }));
      download(file.filename, file.contentType, file.content);
    } catch (e) {
      void message.error(String((e as Error).message));
    } finally {
      setExporting(null);
    }
  };
  return (
    <Card
      data-testid="monthly-report"
      size="small"
      title={t("usage.monthlyTitle")}
      extra={
        <Space>
          <Select
            aria-label={t("usage.month")}
            value={month}
            onChange={setMonth}
            style={{ width: 120 }}
            options={months.map((m) => ({ value: m, label: m }))}
          />
          <Button onClick={() => void exportAs("xlsx")} loading={exporting === "xlsx"}>
            {t("usage.exportXlsx")}
          </Button>
          <Button onClick={() => void exportAs("csv")} loading={exporting === "csv"}>
            {t("usage.exportCsv")}
          </Button>
        </Space>
      }
    >
      {report.error ? <ErrorAlert error={report.error} onRetry={() => void report.refetch()} /> : null}
      <div>
        <Table<Row>
          size="small"
          rowKey={(r) => `${r.systemId}/${r.resource}`}
          loading={report.isPending}
          dataSource={report.data?.rows ?? []}
          pagination={false}
          columns={[
            { title: t("usage.system"), dataIndex: "systemName" },
            { title: t("usage.resource"), key: "r", render: (_: unknown, r: Row) => t(`resource.${r.resource}`) },
            { title: t("usage.grantedHours"), key: "g", align: "right", render: (_: unknown, r: Row) => hours(r.grantedUnitHours) },
            { title: t("usage.usedHours"), key: "u", align: "right", render: (_: unknown, r: Row) => hours(r.usedUnitHours) },
            { title: t("usage.unitPrice"), dataIndex: "unitPrice", align: "right" },
            { title: t("usage.cost"), key: "c", align: "right", render: (_: unknown, r: Row) => yuan(r.costFen) },
          ]}
          summary={() =>
            report.data ? (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={5}>
                  <Flex justify="space-between">
                    <Typography.Text strong>{t("usage.total")}</Typography.Text>
                    <Typography.Text type="secondary">{t("usage.priceVersion", { v: report.data.priceVersion })}</Typography.Text>
                  </Flex>
                </Table.Summary.Cell>
                <Table.Summary.Cell index={1} align="right">
                  <Typography.Text strong data-testid="monthly-total">
                    {yuan(report.data.totalFen)}
                  </Typography.Text>
                </Table.Summary.Cell>
              </Table.Summary.Row>
            ) : null
          }
        />
      </div>
    </Card>
  );
}

/** Usage over time, idle grants and the monthly report of one department (or, for ops, all). */
export function UsageReports({ departmentId, allowAll }: { departmentId: string | undefined; allowAll: boolean }) {
  return (
    <>
      <UsageChartCard departmentId={departmentId} />
      <IdleCard departmentId={departmentId} showDepartment={allowAll && !departmentId} />
      {departmentId ? <MonthlyCard departmentId={departmentId} /> : null}
    </>
  );
}
