import { ExportOutlined, ReloadOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { App, Button, Empty, Flex, Segmented, Select, Space, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useCurrentUser } from "../../api/current-user.js";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { LoadMore } from "../../components/LoadMore.js";
import { PageHeader } from "../../components/PageHeader.js";
import { TableFilter } from "../../components/TableFilter.js";
import { LevelTag, ZoneTag } from "../../components/tags.js";
import { useErrorText } from "../../components/useErrorText.js";
import { countStandings, type EvidenceStanding, evidenceStanding, evidenceUrl } from "../../lib/evidence.js";
import { formatDateTime } from "../../lib/format.js";
import { hasAny } from "../../lib/roles.js";
import { EvidenceDrawer } from "./EvidenceDrawer.js";
import { EvidenceCounts, StandingTag } from "./evidence-tags.js";

type Row = RouterOutputs["evidence"]["list"]["items"][number];
type Filter = EvidenceStanding | "all";

const STANDINGS: readonly EvidenceStanding[] = ["notInForce", "unreported", "exempted", "enforced"];

function matches(row: Row, text: string): boolean {
  const q = text.trim().toLowerCase();
  return !q || [row.systemName, row.departmentName, row.namespace].some((v) => v.toLowerCase().includes(q));
}

/** Every system on the cluster with its latest compliance evidence; controls not in force first. */
export default function EvidencePage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const user = useCurrentUser();
  const seesAll = hasAny(user.roles, ["ops", "security", "auditor"]);
  const canRefresh = user.roles.includes("security");
  const [departmentId, setDepartmentId] = useState<string | undefined>();
  const [filter, setFilter] = useState<Filter>("all");
  const [text, setText] = useState("");
  const [open, setOpen] = useState<Row | null>(null);

  const list = useInfiniteQuery({
    ...trpc.evidence.list.infiniteQueryOptions(
      { departmentId, limit: 200 },
      { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: undefined },
    ),
    refetchInterval: 30_000,
  });
  const departments = useQuery({ ...trpc.departments.list.queryOptions(), staleTime: 60_000, enabled: seesAll });
  const refresh = useMutation(
    trpc.evidence.refresh.mutationOptions({
      onSuccess: () => {
        message.success(t("evidence.refreshRequested"));
        // The controller answers within seconds; look again shortly.
        setTimeout(() => void queryClient.invalidateQueries({ queryKey: trpc.evidence.pathKey() }), 5_000);
      },
      onError: (err) => {
        const { title, detail } = errorText(err);
        modal.error({ title, content: detail });
      },
    }),
  );

  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = countStandings(rows);
  const shown = rows.filter((r) => (filter === "all" || evidenceStanding(r.latest) === filter) && matches(r, text));
  const en = i18n.language === "en";

  return (
    <>
      <PageHeader title={t("evidence.title")} intro={t("evidence.intro")} />
      {list.error && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      <Flex gap={16} align="center" wrap style={{ marginBottom: 16 }}>
        <Segmented<Filter>
          aria-label={t("evidence.filter")}
          value={filter}
          onChange={setFilter}
          options={[
            { value: "all", label: `${t("evidence.all")} ${rows.length}` },
            ...STANDINGS.map((s) => ({ value: s, label: `${t(`evidence.standing.${s}`)} ${counts[s]}` })),
          ]}
        />
        <TableFilter onChange={setText} width={260} />
        {seesAll && (
          <Select
            allowClear
            showSearch={{ optionFilterProp: "label" }}
            aria-label={t("evidence.department")}
            placeholder={t("evidence.allDepartments")}
            style={{ minWidth: 220 }}
            loading={departments.isPending}
            value={departmentId}
            onChange={(v: string | undefined) => setDepartmentId(v)}
            options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: en ? d.nameEn : d.name }))}
          />
        )}
      </Flex>
      <Table<Row>
        rowKey="systemId"
        loading={list.isPending}
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{ emptyText: <Empty description={t("evidence.empty")} /> }}
        columns={[
          {
            title: t("requests.system"),
            dataIndex: "systemName",
            render: (name: string, row) => (
              <Button type="link" style={{ padding: 0 }} onClick={() => setOpen(row)}>
                {name}
              </Button>
            ),
          },
          { title: t("evidence.department"), dataIndex: "departmentName", responsive: ["lg"] },
          { title: t("systems.level"), dataIndex: "level", width: 110, render: (level: number) => <LevelTag level={level} /> },
          { title: t("systems.zone"), dataIndex: "zone", width: 110, render: (zone: Row["zone"]) => <ZoneTag zone={zone} /> },
          { title: t("evidence.standingTitle"), key: "standing", width: 120, render: (_, row) => <StandingTag standing={evidenceStanding(row.latest)} /> },
          { title: t("evidence.controls"), key: "counts", render: (_, row) => (row.latest ? <EvidenceCounts counts={row.latest} /> : "—") },
          { title: t("evidence.confirmedAt"), key: "confirmedAt", width: 150, render: (_, row) => formatDateTime(row.latest?.confirmedAt) },
          {
            title: t("common.actions"),
            key: "actions",
            width: 250,
            render: (_, row) => (
              <Space size={4} wrap>
                {row.latest && (
                  <>
                    <Button size="small" href={evidenceUrl(row.systemId)} target="_blank" rel="noopener" icon={<ExportOutlined aria-hidden />}>
                      {t("evidence.print")}
                    </Button>
                    <Button size="small" href={evidenceUrl(row.systemId, { format: "json" })} download>
                      JSON
                    </Button>
                  </>
                )}
                {canRefresh && row.phase !== "released" && (
                  <Button
                    size="small"
                    icon={<ReloadOutlined aria-hidden />}
                    loading={refresh.isPending && refresh.variables?.systemId === row.systemId}
                    onClick={() => refresh.mutate({ systemId: row.systemId })}
                  >
                    {t("evidence.refresh")}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <LoadMore query={list} shown={rows.length} />
      <Typography.Paragraph type="secondary" style={{ marginTop: 12 }}>
        {t("evidence.howItWorks")}
      </Typography.Paragraph>
      {open && <EvidenceDrawer systemId={open.systemId} systemName={open.systemName} onClose={() => setOpen(null)} />}
    </>
  );
}
