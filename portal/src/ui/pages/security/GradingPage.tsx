import { useInfiniteQuery } from "@tanstack/react-query";
import { Button, Empty, Flex, Segmented, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { GradingSummary } from "../../components/GradingSummary.js";
import { LoadMore } from "../../components/LoadMore.js";
import { PageHeader } from "../../components/PageHeader.js";
import { TableFilter } from "../../components/TableFilter.js";
import { LevelTag, ZoneTag } from "../../components/tags.js";
import { formatDateTime } from "../../lib/format.js";
import { GradeModal, type GradeTarget } from "./GradeModal.js";

type SystemRow = RouterOutputs["systems"]["list"]["items"][number];

export default function GradingPage() {
  const { t } = useTranslation();
  const [view, setView] = useState<"ungraded" | "all">("ungraded");
  const [text, setText] = useState("");
  const [grading, setGrading] = useState<GradeTarget | null>(null);
  const systems = useInfiniteQuery(
    trpc.systems.list.infiniteQueryOptions(view === "ungraded" ? { ungraded: true, limit: 300 } : { limit: 300 }, {
      getNextPageParam: (last) => last.nextCursor ?? undefined,
      initialCursor: undefined,
    }),
  );
  const loaded = systems.data?.pages.flatMap((p) => p.items) ?? [];
  const q = text.trim().toLowerCase();
  const rows = loaded.filter((s) => !q || s.name.toLowerCase().includes(q) || s.departmentName.toLowerCase().includes(q));
  return (
    <>
      <PageHeader title={t("security.gradingTitle")} intro={t("security.gradingIntro")} />
      {systems.error && <ErrorAlert error={systems.error} onRetry={() => void systems.refetch()} />}
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Segmented<"ungraded" | "all">
          value={view}
          onChange={setView}
          options={[
            { value: "ungraded", label: t("security.ungradedOnly") },
            { value: "all", label: t("security.allSystems") },
          ]}
        />
        <TableFilter onChange={setText} />
      </Flex>
      <Table<SystemRow>
        rowKey="id"
        loading={systems.isPending}
        dataSource={rows}
        pagination={{ pageSize: 15, hideOnSinglePage: true, showTotal: (count) => t("common.total", { count }) }}
        locale={{ emptyText: <Empty description={t(view === "ungraded" ? "empty.ungraded" : "empty.systems")} /> }}
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
          { title: t("requests.department"), dataIndex: "departmentName", width: 220 },
          {
            title: t("security.proposed"),
            key: "proposed",
            width: 170,
            render: (_, row) => (
              <Space size={4}>
                <LevelTag level={row.proposedLevel} />
                <ZoneTag zone={row.proposedZone} />
              </Space>
            ),
          },
          {
            title: t("security.confirmed"),
            key: "confirmed",
            width: 170,
            render: (_, row) =>
              row.graded ? (
                <Space size={4}>
                  <LevelTag level={row.level} />
                  <ZoneTag zone={row.zone} />
                </Space>
              ) : (
                "—"
              ),
          },
          { title: t("systems.graded"), key: "graded", width: 230, render: (_, row) => <GradingSummary system={row} /> },
          { title: t("common.updatedAt"), dataIndex: "updatedAt", width: 150, render: (d: SystemRow["updatedAt"]) => formatDateTime(d) },
          {
            title: t("common.actions"),
            key: "actions",
            width: 100,
            render: (_, row) => (
              <Button size="small" type={row.graded ? "default" : "primary"} onClick={() => setGrading(row)} aria-label={`${t("security.grade")} ${row.name}`}>
                {t("security.grade")}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore query={systems} shown={loaded.length} />
      {grading && <GradeModal key={grading.id} system={grading} onClose={() => setGrading(null)} />}
    </>
  );
}
