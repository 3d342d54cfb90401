import { DownloadOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { App, Button, Col, DatePicker, Empty, Flex, Form, Input, InputNumber, Select, Table, Tag, Typography } from "antd";
import type dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterInputs, type RouterOutputs, trpc, trpcClient } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FilterBar } from "../../components/FilterBar.js";
import { PageHeader } from "../../components/PageHeader.js";
import { formatDateTime } from "../../lib/format.js";
import { VerifyDay } from "./VerifyDay.js";

type LogRow = RouterOutputs["egress"]["list"]["rows"][number];
type Filters = NonNullable<RouterInputs["egress"]["exportCsv"]>;

interface SearchForm {
  systemId?: string;
  host?: string;
  action?: "allowed" | "denied";
  status?: number | null;
  range?: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null;
}

const PAGE_SIZE = 50;

function toFilters(v: SearchForm): Filters {
  const out: Filters = {};
  if (v.systemId) out.systemId = v.systemId;
  if (v.host?.trim()) out.host = v.host.trim();
  if (v.action) out.action = v.action;
  if (typeof v.status === "number") out.status = v.status;
  if (v.range?.[0]) out.from = v.range[0].toDate();
  if (v.range?.[1]) out.to = v.range[1].toDate();
  return out;
}

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

export default function EgressLogPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SearchForm>();
  const [filters, setFilters] = useState<Filters>({});
  const [page, setPage] = useState(1);
  const [exporting, setExporting] = useState(false);
  const log = useQuery(trpc.egress.list.queryOptions({ ...filters, page, pageSize: PAGE_SIZE }));
  const systems = useQuery(trpc.systems.list.queryOptions({ limit: 1000 }));
  const zh = i18n.language.startsWith("zh");
  const me = useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 60_000 });
  const verifies = me.data?.roles.some((r) => r === "auditor" || r === "security") ?? false;

  const exportCsv = async () => {
    setExporting(true);
    try {
      const result = await trpcClient.egress.exportCsv.query(filters);
      download(`egress-log-${new Date().toISOString().slice(0, 10)}.csv`, result.csv);
      if (result.truncated) message.warning(t("egress.truncated", { rows: result.rows }));
      else message.success(t("egress.exported", { rows: result.rows }));
    } catch (err) {
      message.error(String((err as Error).message));
    } finally {
      setExporting(false);
    }
  };

  return (
    <>
      <PageHeader
        title={t("egress.title")}
        intro={t("egress.intro")}
        extra={
          <Button icon={<DownloadOutlined aria-hidden />} loading={exporting} onClick={() => void exportCsv()}>
            {t("egress.exportCsv")}
          </Button>
        }
      />
      {verifies && <VerifyDay />}
      <FilterBar<SearchForm>
        name="egress-search"
        form={form}
        onSearch={(v) => {
          setFilters(toFilters(v));
          setPage(1);
        }}
        onReset={() => {
          setFilters({});
          setPage(1);
        }}
      >
        <Col xs={24} md={12} xl={6}>
          <Form.Item name="systemId" label={t("egress.system")}>
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              loading={systems.isPending}
              options={(systems.data?.items ?? []).filter((s) => s.zone === "external").map((s) => ({ value: s.id, label: `${s.name} · ${s.namespace}` }))}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={5}>
          <Form.Item name="host" label={t("egress.destination")}>
            <Input allowClear placeholder="api.example.gov.cn" />
          </Form.Item>
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Form.Item name="action" label={t("egress.action")}>
            <Select
              allowClear
              options={[
                { value: "allowed", label: t("egress.allowed") },
                { value: "denied", label: t("egress.denied") },
              ]}
            />
          </Form.Item>
        </Col>
        <Col xs={12} md={6} xl={3}>
          <Form.Item name="status" label={t("egress.status")}>
            <InputNumber min={0} max={999} style={{ width: "100%" }} placeholder="403" />
          </Form.Item>
        </Col>
        <Col xs={24} md={12} xl={7}>
          <Form.Item name="range" label={t("egress.timeRange")}>
            <DatePicker.RangePicker showTime allowEmpty={[true, true]} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </FilterBar>
      {log.error && <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />}
      <Table<LogRow>
        rowKey="id"
        size="small"
        loading={log.isPending}
        dataSource={log.data?.rows ?? []}
        locale={{ emptyText: <Empty /> }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total: log.data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => t("egress.total", { total }),
          onChange: setPage,
        }}
        columns={[
          { title: t("egress.time"), dataIndex: "at", width: 170, render: (d: Date) => formatDateTime(d) },
          {
            title: t("egress.system"),
            key: "system",
            render: (_, r) =>
              r.systemName ? (
                <Flex vertical>
                  <Typography.Text>{r.systemName}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {zh ? r.departmentName : r.departmentNameEn}
                  </Typography.Text>
                </Flex>
              ) : (
                <Typography.Text type="secondary">{t("egress.unknownSystem")}</Typography.Text>
              ),
          },
          { title: t("egress.method"), dataIndex: "method", width: 90 },
          { title: t("egress.destination"), key: "destination", render: (_, r) => <Typography.Text code>{`${r.host}:${r.port}`}</Typography.Text> },
          {
            title: t("egress.action"),
            dataIndex: "action",
            width: 90,
            render: (a: LogRow["action"]) => <Tag color={a === "allowed" ? "success" : "error"}>{t(`egress.${a}`)}</Tag>,
          },
          { title: t("egress.status"), dataIndex: "status", width: 80 },
          { title: t("egress.bytesIn"), dataIndex: "bytesIn", width: 110, align: "right", render: (n: number) => n.toLocaleString() },
          { title: t("egress.bytesOut"), dataIndex: "bytesOut", width: 110, align: "right", render: (n: number) => n.toLocaleString() },
          { title: t("egress.duration"), dataIndex: "durationMs", width: 110, align: "right", render: (n: number) => n.toLocaleString() },
        ]}
      />
    </>
  );
}
