import { Progress, Table } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format.js";
import { amountOf, percentOf, type Quantities, RESOURCES, type Resource } from "../lib/resources.js";

interface QuotaTableProps {
  limit: Quantities;
  held: Quantities;
  used: Quantities;
  limitLabel: string;
}

/** The numbers behind the quota chart, for reading and for screen readers. */
export function QuotaTable({ limit, held, used, limitLabel }: QuotaTableProps) {
  const { t } = useTranslation();
  const rows = RESOURCES.map((r) => ({ resource: r, limit: amountOf(limit, r), held: amountOf(held, r), used: amountOf(used, r) }));
  const num = (v: number, row: { resource: Resource }) => `${formatNumber(v)} ${t(`unit.${row.resource}`)}`;
  return (
    <Table
      size="small"
      rowKey="resource"
      pagination={false}
      dataSource={rows}
      columns={[
        { title: t("requests.resources"), dataIndex: "resource", render: (r: Resource) => t(`resource.${r}`) },
        { title: limitLabel, dataIndex: "limit", align: "right", render: num },
        { title: t("quota.held"), dataIndex: "held", align: "right", render: num },
        { title: t("quota.used"), dataIndex: "used", align: "right", render: num },
        { title: t("quota.remaining"), key: "remaining", align: "right", render: (_, row) => num(Math.max(0, row.limit - row.held), row) },
        {
          title: t("quota.percentOf"),
          key: "pct",
          width: 160,
          render: (_, row) => (
            <Progress size="small" percent={Math.min(100, percentOf(row.held, row.limit))} status={row.held > row.limit ? "exception" : "normal"} />
          ),
        },
      ]}
    />
  );
}
