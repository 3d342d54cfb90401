import { EditOutlined } from "@ant-design/icons";
import { useInfiniteQuery, useQueries } from "@tanstack/react-query";
import { Button, Flex, Progress, Skeleton, Table, Typography } from "antd";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { type RouterOutputs, trpc } from "../../api/trpc.js";
import { ErrorAlert } from "../../components/ErrorAlert.js";
import { LoadMore } from "../../components/LoadMore.js";
import { PageHeader } from "../../components/PageHeader.js";
import { TableFilter } from "../../components/TableFilter.js";
import { formatNumber } from "../../lib/format.js";
import { amountOf, percentOf, RESOURCES, type Resource } from "../../lib/resources.js";
import { CeilingModal, type DepartmentQuota } from "./CeilingModal.js";

type Department = RouterOutputs["departments"]["list"]["items"][number];
type Overview = RouterOutputs["departments"]["overview"];
interface Row extends Department {
  overview: Overview | undefined;
}

const PAGE_SIZE = 15;

function QuotaCell({ overview, resource }: { overview: Overview | undefined; resource: Resource }) {
  if (!overview) return <Skeleton.Input active size="small" style={{ width: 80, minWidth: 80 }} />;
  const limit = amountOf(overview.ceiling, resource);
  const held = amountOf(overview.held, resource);
  return (
    <div>
      <Typography.Text style={{ fontSize: 12 }} type={held > limit ? "danger" : undefined}>
        {formatNumber(held)} / {formatNumber(limit)}
      </Typography.Text>
      <Progress size="small" showInfo={false} percent={Math.min(100, percentOf(held, limit))} status={held > limit ? "exception" : "normal"} />
    </div>
  );
}

/** Departments page by page; each visible department's quota is fetched as its row shows. */
export default function CeilingsPage() {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<DepartmentQuota | null>(null);
  const [text, setText] = useState("");
  const [page, setPage] = useState(1);
  const departments = useInfiniteQuery({
    ...trpc.departments.list.infiniteQueryOptions({ limit: 200 }, { getNextPageParam: (last) => last.nextCursor ?? undefined, initialCursor: undefined }),
    staleTime: 60_000,
  });
  const nameOf = (d: { name: string; nameEn: string }) => (i18n.language === "en" ? d.nameEn : d.name);
  const q = text.trim().toLowerCase();
  const matching = (departments.data?.pages.flatMap((p) => p.items) ?? []).filter(
    (d) => !q || [d.name, d.nameEn, d.code].some((v) => v.toLowerCase().includes(q)),
  );
  const visible = matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const overviews = useQueries({ queries: visible.map((d) => trpc.departments.overview.queryOptions({ id: d.id })) });
  const failed = overviews.find((o) => o.error)?.error;
  const rows: Row[] = visible.map((d, i) => ({ ...d, overview: overviews[i]?.data }));
  return (
    <>
      <PageHeader title={t("ops.ceilingsTitle")} intro={t("ops.ceilingsIntro")} />
      {(departments.error ?? failed) && <ErrorAlert error={departments.error ?? failed} />}
      <Flex style={{ marginBottom: 16 }}>
        <TableFilter
          placeholder={t("requests.department")}
          onChange={(text) => {
            setText(text);
            setPage(1);
          }}
        />
      </Flex>
      <Table<Row>
        rowKey="id"
        size="small"
        loading={departments.isPending}
        dataSource={rows}
        pagination={{ current: page, pageSize: PAGE_SIZE, total: matching.length, onChange: setPage, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 1130 }}
        columns={[
          {
            title: t("requests.department"),
            key: "name",
            fixed: "left",
            width: 200,
            render: (_, row) => <Typography.Text strong>{nameOf(row)}</Typography.Text>,
          },
          ...RESOURCES.map((r) => ({
            title: `${t(`resource.${r}`)}${t(`unit.${r}`) ? ` (${t(`unit.${r}`)})` : ""}`,
            key: r,
            width: 114,
            render: (_: unknown, row: Row) => <QuotaCell overview={row.overview} resource={r} />,
          })),
          {
            title: t("common.actions"),
            key: "actions",
            fixed: "right",
            width: 130,
            render: (_, row) => (
              <Button
                size="small"
                icon={<EditOutlined aria-hidden />}
                disabled={!row.overview}
                onClick={() => row.overview && setEditing({ id: row.id, name: nameOf(row), ceiling: row.overview.ceiling, held: row.overview.held })}
                aria-label={`${t("ops.editCeiling")} ${nameOf(row)}`}
              >
                {t("ops.editCeiling")}
              </Button>
            ),
          },
        ]}
      />
      <LoadMore query={departments} shown={matching.length} />
      {editing && <CeilingModal key={editing.id} department={editing} onClose={() => setEditing(null)} />}
    </>
  );
}
