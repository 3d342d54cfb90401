import { useInfiniteQuery } from "@tanstack/react-query";
import { Empty, Flex, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type RouterOutputs, trpc, trpcClient } from "../api/trpc.js";
import { matchesFilter } from "../lib/filter.js";
import { formatDateTime } from "../lib/format.js";
import { ApprovalActions } from "./ApprovalActions.js";
import { CapacityImpact } from "./CapacityImpact.js";
import { ErrorAlert } from "./ErrorAlert.js";
import { LoadMore } from "./LoadMore.js";
import { QuantityList } from "./QuantityList.js";
import { TableFilter } from "./TableFilter.js";
import { AwaitingGradingTag, KindTag, LevelTag, ZoneTag } from "./tags.js";

export type Stage = "dept" | "ops" | "security";
type QueueRow = RouterOutputs["requests"]["queue"][number];

const PAGE = 100;

/**
 * Requests waiting at one approval stage, with approve/reject on each. The queue pages in newest
 * first by request number ("load more" asks for those below the last number seen); the table
 * shows what is loaded oldest first.
 */
export function ApprovalQueue({ stage, showImpact = false }: { stage: Stage; showImpact?: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const queue = useInfiniteQuery({
    // Under the procedure's key, so invalidating requests refreshes every loaded page.
    queryKey: [...trpc.requests.queue.queryKey({ stage }), "pages"],
    queryFn: ({ pageParam }) => trpcClient.requests.queue.query({ stage, limit: PAGE, ...(pageParam ? { beforeNumber: pageParam } : {}) }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last.at(-1)?.number),
    refetchInterval: 30_000,
  });
  const loaded = queue.data?.pages.flat() ?? [];
  const rows = loaded.filter((r) => matchesFilter(r, text)).sort((a, b) => a.number - b.number);
  return (
    <>
      {queue.error && <ErrorAlert error={queue.error} onRetry={() => void queue.refetch()} />}
      <Flex gap={12} style={{ marginBottom: 16 }}>
        <TableFilter onChange={setText} width={320} />
      </Flex>
      <Table<QueueRow>
        rowKey="id"
        loading={queue.isPending}
        dataSource={rows}
        pagination={{ pageSize: 10, hideOnSinglePage: true, showTotal: (count) => t("common.total", { count }) }}
        locale={{ emptyText: <Empty description={t("empty.queue")} /> }}
        columns={[
          { title: t("requests.number"), dataIndex: "number", width: 80, render: (n: number, row) => <Link to={`/requests/${row.id}`}>#{n}</Link> },
          {
            title: t("requests.system"),
            dataIndex: "systemName",
            width: 230,
            render: (name: string, row) => (
              <Space orientation="vertical" size={2}>
                <Typography.Text strong>{name}</Typography.Text>
                <Space size={4} wrap>
                  <LevelTag level={row.level} />
                  <ZoneTag zone={row.zone} />
                  <KindTag kind={row.kind} />
                  {!row.graded && <AwaitingGradingTag />}
                </Space>
              </Space>
            ),
          },
          {
            title: `${t("requests.department")} / ${t("requests.requester")}`,
            key: "who",
            width: 180,
            render: (_, row) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{row.departmentName}</Typography.Text>
                <Typography.Text type="secondary">{row.requesterName}</Typography.Text>
              </Space>
            ),
          },
          {
            title: t("requests.target"),
            key: "target",
            render: (_, row) => (
              <Space orientation="vertical" size={2}>
                {row.kind === "release" ? <Typography.Text strong>{t("release.queueTarget")}</Typography.Text> : <QuantityList value={row.target} />}
                <Typography.Paragraph type="secondary" ellipsis={{ rows: 2, tooltip: row.justification }} style={{ margin: 0, fontSize: 12 }}>
                  {row.justification}
                </Typography.Paragraph>
              </Space>
            ),
          },
          ...(showImpact
            ? [{ title: t("approval.impact"), key: "impact", width: 270, render: (_: unknown, row: QueueRow) => <CapacityImpact request={row} /> }]
            : []),
          { title: t("requests.submittedAt"), dataIndex: "submittedAt", width: 110, render: (d: QueueRow["submittedAt"]) => formatDateTime(d) },
          {
            title: t("common.actions"),
            key: "actions",
            width: 190,
            render: (_, row) => <ApprovalActions request={row} gradeFirst={stage === "security" && !row.graded} />,
          },
        ]}
      />
      <LoadMore query={queue} shown={loaded.length} />
    </>
  );
}
