import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Card, Form, Input, InputNumber, Select, Table, Tabs } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { PageHeader } from "../../components/PageHeader.js";
import { formatDateTime } from "../../lib/format.js";
import { RESOURCES, type Resource } from "../../lib/resources.js";
import { recentMonths, UsageReports } from "./UsageReports.js";

const yuan = (fen: number) => (fen / 100).toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function Overview() {
  const { t, i18n } = useTranslation();
  const months = recentMonths();
  const [month, setMonth] = useState(months[0]!);
  const overview = useQuery(trpc.usage.overview.queryOptions({ month }));
  type Row = NonNullable<typeof overview.data>["departments"][number];
  return (
    <Card
      size="small"
      extra={
        <Select aria-label={t("usage.month")} value={month} onChange={setMonth} style={{ width: 120 }} options={months.map((m) => ({ value: m, label: m }))} />
      }
    >
      {overview.error ? <ErrorAlert error={overview.error} onRetry={() => void overview.refetch()} /> : null}
      <Table<Row>
        size="small"
        rowKey="departmentId"
        loading={overview.isPending}
        dataSource={overview.data?.departments ?? []}
        pagination={false}
        columns={[
          { title: t("usage.department"), key: "d", render: (_: unknown, r: Row) => (i18n.language === "en" ? r.nameEn : r.name) },
          {
            title: `${t("resource.vcpu")} · ${t("usage.grantedHours")}`,
            key: "g",
            align: "right",
            render: (_: unknown, r: Row) => Math.round(r.vcpuHours).toLocaleString(),
          },
          {
            title: `${t("resource.vcpu")} · ${t("usage.usedHours")}`,
            key: "u",
            align: "right",
            render: (_: unknown, r: Row) => Math.round(r.vcpuUsedHours).toLocaleString(),
          },
          { title: t("usage.cost"), key: "c", align: "right", render: (_: unknown, r: Row) => yuan(r.totalFen) },
        ]}
      />
    </Card>
  );
}

type PriceForm = Record<Resource, number> & { note?: string };

function Prices() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<PriceForm>();
  const list = useQuery(trpc.usage.priceList.queryOptions());
  const save = useMutation(
    trpc.usage.updatePrices.mutationOptions({
      onSuccess: (r) => {
        void message.success(t("usage.saved", { v: r.version }));
        void queryClient.invalidateQueries({ queryKey: trpc.usage.pathKey() });
      },
    }),
  );
  if (list.error) return <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data) return null;
  type Version = (typeof list.data.versions)[number];
  return (
    <>
      <Card
        size="small"
        title={`${t("usage.priceVersion", { v: list.data.current.version })}${list.data.current.version === 0 ? ` · ${t("usage.builtIn")}` : ""}`}
        style={{ marginBottom: 16 }}
      >
        <p style={{ color: "#8c8c8c" }}>{t("usage.pricesIntro")}</p>
        {save.error ? <ErrorAlert error={save.error} /> : null}
        <Form<PriceForm>
          form={form}
          name="prices"
          layout="inline"
          initialValues={list.data.current.prices}
          onFinish={(v) => {
            const { note, ...prices } = v;
            save.mutate({ prices: prices as Record<Resource, number>, note: note?.trim() ? note.trim() : null });
          }}
        >
          {RESOURCES.map((r) => (
            <Form.Item key={r} name={r} label={`${t(`resource.${r}`)}（${t(`unit.${r}`)}）`} rules={[{ required: true }]} style={{ marginBottom: 12 }}>
              <InputNumber min={0} max={100000} step={0.001} style={{ width: 110 }} />
            </Form.Item>
          ))}
          <Form.Item name="note" label={t("usage.note")} style={{ marginBottom: 12 }}>
            <Input maxLength={500} style={{ width: 260 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={save.isPending}>
              {t("usage.savePrices")}
            </Button>
          </Form.Item>
        </Form>
      </Card>
      <Card size="small" title={t("usage.versions")}>
        <Table<Version>
          size="small"
          rowKey="version"
          dataSource={list.data.versions}
          pagination={false}
          columns={[
            { title: t("usage.version"), dataIndex: "version", render: (v: number) => `v${v}` },
            { title: t("usage.publishedAt"), dataIndex: "createdAt", render: (d: Date | null) => formatDateTime(d) },
            ...RESOURCES.map((r) => ({ title: t(`resource.${r}`), key: r, render: (_: unknown, v: Version) => v.prices[r] })),
            { title: t("usage.note"), dataIndex: "note" },
          ]}
        />
      </Card>
    </>
  );
}

/** Every department's usage and cost, and the price list (ops). */
export default function OpsUsagePage() {
  const { t, i18n } = useTranslation();
  const departments = useQuery(trpc.departments.list.queryOptions({ limit: 1000 }));
  const [departmentId, setDepartmentId] = useState<string | undefined>(undefined);
  return (
    <>
      <PageHeader title={t("usage.opsTitle")} intro={t("usage.opsIntro")} />
      <Tabs
        items={[
          {
            key: "reports",
            label: t("usage.reportsTab"),
            children: (
              <>
                <Select<string>
                  aria-label={t("usage.department")}
                  allowClear
                  placeholder={t("usage.allDepartments")}
                  value={departmentId}
                  onChange={setDepartmentId}
                  style={{ width: 280, marginBottom: 16 }}
                  options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: i18n.language === "en" ? d.nameEn : d.name }))}
                  showSearch
                  optionFilterProp="label"
                />
                <UsageReports departmentId={departmentId} allowAll />
              </>
            ),
          },
          { key: "overview", label: t("usage.overviewTab"), children: <Overview /> },
          { key: "prices", label: t("usage.pricesTab"), children: <Prices /> },
        ]}
      />
    </>
  );
}
