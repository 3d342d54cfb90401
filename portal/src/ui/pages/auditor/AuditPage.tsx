import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditTargetType } from "@zhengyun/db/audit/vocabulary";
import { AutoComplete, Button, Col, DatePicker, Empty, Flex, Form, Input, Row, Select, Table, Tag, Typography } from "antd";
import type dayjs from "dayjs";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpcClient } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { FilterBar } from "../../components/FilterBar.js";
import { PageHeader } from "../../components/PageHeader.js";
import { formatDateTime, shortHash } from "../../lib/format.js";
import { ROLES, type Role } from "../../lib/roles.js";
import { AnchorBar } from "./AnchorBar.js";
import { actionLabel, KNOWN_ACTIONS, TARGET_TYPES, targetLabel } from "./actions.js";
import { AUDIT_SEARCH_KEY } from "./keys.js";
import { VerifyBanner } from "./VerifyBanner.js";

type Entry = RouterOutputs["audit"]["search"][number];
interface Filters {
  actor?: string;
  action?: string;
  targetType?: AuditTargetType;
  targetId?: string;
  text?: string;
  from?: Date;
  to?: Date;
}

interface SearchForm {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  text?: string;
  range?: [dayjs.Dayjs | null, dayjs.Dayjs | null] | null;
}

const PAGE = 50;

function toFilters(v: SearchForm): Filters {
  const trim = (s?: string) => (s?.trim() ? s.trim() : undefined);
  const out: Filters = {};
  const actor = trim(v.actor);
  const action = trim(v.action);
  const targetType = trim(v.targetType);
  const targetId = trim(v.targetId);
  const text = trim(v.text);
  if (actor) out.actor = actor;
  if (action) out.action = action;
  if (targetType) out.targetType = targetType as AuditTargetType;
  if (targetId) out.targetId = targetId;
  if (text) out.text = text;
  if (v.range?.[0]) out.from = v.range[0].startOf("day").toDate();
  if (v.range?.[1]) out.to = v.range[1].endOf("day").toDate();
  return out;
}

const isRole = (r: string | null): r is Role => r !== null && (ROLES as readonly string[]).includes(r);

function Json({ value }: { value: unknown }) {
  return value == null ? <Typography.Text type="secondary">—</Typography.Text> : <pre className="zy-json">{JSON.stringify(value, null, 2)}</pre>;
}

export default function AuditPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<SearchForm>();
  const [filters, setFilters] = useState<Filters>({});
  // Older entries page in by sequence number: each page asks for entries before the last one seen.
  const entries = useInfiniteQuery({
    queryKey: [...AUDIT_SEARCH_KEY, filters],
    queryFn: ({ pageParam }) => trpcClient.audit.search.query({ ...filters, limit: PAGE, ...(pageParam ? { beforeSeq: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last.at(-1)?.seq),
  });
  const rows = entries.data?.pages.flat() ?? [];

  return (
    <>
      <PageHeader title={t("audit.title")} intro={t("audit.intro")} />
      <VerifyBanner />
      <AnchorBar />
      <FilterBar<SearchForm> name="audit-search" form={form} onSearch={(v) => setFilters(toFilters(v))} onReset={() => setFilters({})}>
        <Col xs={24} md={8} xl={4}>
          <Form.Item name="actor" label={t("audit.actor")}>
            <Input allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item name="action" label={t("audit.action")}>
            <AutoComplete
              allowClear
              placeholder={t("audit.actionPlaceholder")}
              options={KNOWN_ACTIONS.map((a) => ({ value: a, label: `${actionLabel(a, t)} · ${a}` }))}
              filterOption={(input, option) => (option?.label ?? "").toLowerCase().includes(input.toLowerCase())}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item name="targetType" label={t("audit.targetType")}>
            <Select allowClear options={TARGET_TYPES.map((v) => ({ value: v, label: `${targetLabel(v, t)} · ${v}` }))} />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item name="targetId" label={t("audit.targetId")}>
            <Input allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item name="text" label={t("audit.text")}>
            <Input allowClear />
          </Form.Item>
        </Col>
        <Col xs={24} md={8} xl={4}>
          <Form.Item name="range" label={t("audit.timeRange")}>
            <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: "100%" }} />
          </Form.Item>
        </Col>
      </FilterBar>
      {entries.error && <ErrorAlert error={entries.error} onRetry={() => void entries.refetch()} />}
      <Table<Entry>
        rowKey="seq"
        size="small"
        loading={entries.isPending}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: <Empty description={t("empty.audit")} /> }}
        expandable={{
          expandedRowRender: (row) => (
            <Row gutter={16}>
              <Col span={12}>
                <Typography.Text strong>{t("audit.before")}</Typography.Text>
                <Json value={row.before} />
              </Col>
              <Col span={12}>
                <Typography.Text strong>{t("audit.after")}</Typography.Text>
                <Json value={row.after} />
              </Col>
              <Col span={24}>
                <Typography.Text type="secondary">
                  {t("audit.hash")}: <Typography.Text code>{row.hash}</Typography.Text> · {t("audit.correlation")}:{" "}
                  <Typography.Text code>{row.correlationId}</Typography.Text>
                </Typography.Text>
              </Col>
            </Row>
          ),
        }}
        columns={[
          { title: t("audit.seq"), dataIndex: "seq", width: 80 },
          { title: t("audit.at"), dataIndex: "at", width: 150, render: (d: Entry["at"]) => formatDateTime(d) },
          { title: t("audit.actor"), dataIndex: "actorName", width: 160 },
          { title: t("audit.role"), dataIndex: "actorRole", width: 120, render: (r: string | null) => (isRole(r) ? t(`role.${r}`) : "—") },
          {
            title: t("audit.action"),
            dataIndex: "action",
            render: (a: string) => (
              <>
                {actionLabel(a, t) ?? ""} <Tag>{a}</Tag>
              </>
            ),
          },
          {
            title: t("audit.target"),
            key: "target",
            render: (_, row) => (
              <Typography.Text style={{ fontSize: 12 }}>
                {targetLabel(row.targetType, t)}{" "}
                <Typography.Text type="secondary" copyable={{ text: row.targetId }}>
                  {shortHash(row.targetId, 8)}
                </Typography.Text>
              </Typography.Text>
            ),
          },
        ]}
      />
      <Flex justify="center" style={{ marginTop: 16 }}>
        {entries.hasNextPage ? (
          <Button onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
            {t("common.loadMore")}
          </Button>
        ) : (
          rows.length > 0 && <Typography.Text type="secondary">{t("common.noMore")}</Typography.Text>
        )}
      </Flex>
    </>
  );
}
