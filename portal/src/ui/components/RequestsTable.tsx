import { useQuery } from "@tanstack/react-query";
import { REQUEST_STATES } from "@zhengyun/db/vocabulary";
import { Empty, Flex, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type RouterOutputs, trpc } from "../api/trpc.js";
import { matchesFilter } from "../lib/filter.js";
import { formatDateTime, toTime } from "../lib/format.js";
import { ErrorAlert } from "./ErrorAlert.js";
import { TableFilter } from "./TableFilter.js";
import { KindTag, LevelTag, type RequestState, StateTag, ZoneTag } from "./tags.js";

type RequestRow = RouterOutputs["requests"]["list"][number];

export const ALL_STATES: readonly RequestState[] = REQUEST_STATES;

/** Requests visible to the caller (own department, or own requests with `mine`), filterable. */
export function RequestsTable({ mine }: { mine: boolean }) {
  const { t } = useTranslation();
  const [states, setStates] = useState<RequestState[]>([]);
  const [text, setText] = useState("");
  const list = useQuery(trpc.requests.list.queryOptions({ mine, limit: 500, ...(states.length ? { states } : {}) }));
  const rows = (list.data ?? []).filter((r) => matchesFilter(r, text));
  return (
    <>
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <TableFilter onChange={setText} />
        <Select<RequestState[]>
          mode="multiple"
          allowClear
          aria-label={t("requests.stateFilter")}
          placeholder={t("requests.stateFilter")}
          value={states}
          onChange={setStates}
          options={ALL_STATES.map((s) => ({ value: s, label: t(`state.${s}`) }))}
          style={{ minWidth: 280 }}
        />
      </Flex>
      <Table<RequestRow>
        rowKey="id"
        loading={list.isPending}
        dataSource={rows}
        pagination={{ pageSize: 15, hideOnSinglePage: true, showTotal: (count) => t("common.total", { count }) }}
        locale={{ emptyText: <Empty description={t("empty.requests")} /> }}
        columns={[
          {
            title: t("requests.number"),
            dataIndex: "number",
            width: 90,
            render: (n: number, row) => <Link to={`/requests/${row.id}`}>#{n}</Link>,
            sorter: (a, b) => a.number - b.number,
          },
          {
            title: t("requests.system"),
            dataIndex: "systemName",
            render: (name: string, row) => (
              <Space size={4} wrap>
                <Typography.Text>{name}</Typography.Text>
                <LevelTag level={row.level} />
                <ZoneTag zone={row.zone} />
              </Space>
            ),
          },
          ...(mine ? [] : [{ title: t("requests.requester"), dataIndex: "requesterName" as const, width: 140 }]),
          { title: t("requests.kind"), dataIndex: "kind", width: 90, render: (k: RequestRow["kind"]) => <KindTag kind={k} /> },
          { title: t("requests.state"), dataIndex: "state", width: 130, render: (s: RequestState, row) => <StateTag state={s} kind={row.kind} /> },
          { title: t("requests.submittedAt"), dataIndex: "submittedAt", width: 150, render: (d: RequestRow["submittedAt"]) => formatDateTime(d) },
          {
            title: t("common.updatedAt"),
            dataIndex: "updatedAt",
            width: 150,
            render: (d: RequestRow["updatedAt"]) => formatDateTime(d),
            sorter: (a, b) => toTime(a.updatedAt) - toTime(b.updatedAt),
          },
        ]}
      />
    </>
  );
}
