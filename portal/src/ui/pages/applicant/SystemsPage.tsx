import { PlusOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { IN_FLIGHT_STATES } from "@zhengyun/db/vocabulary";
import { Button, Empty, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { GradingSummary } from "../../components/GradingSummary.js";
import { LoadMore } from "../../components/LoadMore.js";
import { PageHeader } from "../../components/PageHeader.js";
import { LevelTag, PhaseTag, ZoneTag } from "../../components/tags.js";
import { formatDateTime } from "../../lib/format.js";
import { releaseBlock } from "../../lib/release.js";
import { SystemEgress } from "../egress/SystemEgress.js";
import { RegisterSystemModal } from "./RegisterSystemModal.js";
import { ReleaseAction } from "./ReleaseAction.js";

type SystemRow = RouterOutputs["systems"]["list"]["items"][number];

export default function SystemsPage() {
  const { t } = useTranslation();
  const [registering, setRegistering] = useState(false);
  const systems = useInfiniteQuery(
    trpc.systems.list.infiniteQueryOptions({ limit: 100 }, { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: undefined }),
  );
  const rows = systems.data?.pages.flatMap((p) => p.items) ?? [];
  // The department's requests in flight: a system with one cannot be released until it is done.
  const inFlight = useQuery(trpc.requests.list.queryOptions({ states: [...IN_FLIGHT_STATES], limit: 500 }));
  return (
    <>
      <PageHeader
        title={t("systems.title")}
        intro={t("systems.intro")}
        extra={
          <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => setRegistering(true)}>
            {t("systems.register")}
          </Button>
        }
      />
      {systems.error && <ErrorAlert error={systems.error} onRetry={() => void systems.refetch()} />}
      {inFlight.error && <ErrorAlert error={inFlight.error} onRetry={() => void inFlight.refetch()} />}
      <Table<SystemRow>
        rowKey="id"
        loading={systems.isPending}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        // Columns keep their natural width; a narrow window scrolls the table instead of wrapping names letter by letter.
        scroll={{ x: "max-content" }}
        locale={{ emptyText: <Empty description={t("empty.systems")} /> }}
        expandable={{ rowExpandable: (row) => row.zone === "external", expandedRowRender: (row) => <SystemEgress systemId={row.id} /> }}
        columns={[
          {
            title: t("systems.name"),
            dataIndex: "name",
            render: (name: string, row) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text strong>{name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {row.purpose}
                </Typography.Text>
              </Space>
            ),
          },
          { title: t("systems.level"), dataIndex: "level", width: 110, render: (level: number) => <LevelTag level={level} /> },
          { title: t("systems.zone"), dataIndex: "zone", width: 110, render: (zone: SystemRow["zone"]) => <ZoneTag zone={zone} /> },
          { title: t("systems.graded"), key: "graded", width: 230, render: (_, row) => <GradingSummary system={row} /> },
          { title: t("systems.phase"), dataIndex: "phase", width: 110, render: (phase: string | null) => <PhaseTag phase={phase} /> },
          { title: t("systems.namespace"), dataIndex: "namespace", render: (ns: string) => <Typography.Text code>{ns}</Typography.Text> },
          { title: t("common.updatedAt"), dataIndex: "updatedAt", width: 150, render: (d: SystemRow["updatedAt"]) => formatDateTime(d) },
          {
            title: t("common.actions"),
            key: "actions",
            width: 150,
            render: (_, row) =>
              row.retired ? null : (
                <Space orientation="vertical" size={2} align="start">
                  <Link to={`/requests/new?system=${row.id}`}>{t("systems.requestResources")}</Link>
                  {inFlight.data && <ReleaseAction systemId={row.id} block={releaseBlock(row, inFlight.data)} />}
                </Space>
              ),
          },
        ]}
      />
      <LoadMore query={systems} shown={rows.length} />
      {registering && <RegisterSystemModal onClose={() => setRegistering(false)} />}
    </>
  );
}
