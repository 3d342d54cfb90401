import { Card, Table } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../lib/format.js";
import { amountOf, type Quantities, RESOURCES, type Resource } from "../../lib/resources.js";

/** Per resource: what the system holds now and the total a new or change request asks for. */
export function ResourceTable({ target, current }: { target: Quantities; current: Quantities }) {
  const { t } = useTranslation();
  const rows = RESOURCES.filter((res) => amountOf(target, res) > 0 || amountOf(current, res) > 0).map((res) => ({
    resource: res,
    target: amountOf(target, res),
    current: amountOf(current, res),
  }));
  return (
    <Card size="small" title={t("requests.resources")} style={{ marginBottom: 16 }}>
      <Table
        size="small"
        rowKey="resource"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t("requests.resources"), dataIndex: "resource", render: (res: Resource) => t(`resource.${res}`) },
          {
            title: t("requests.currentGrant"),
            dataIndex: "current",
            align: "right",
            render: (v: number, row) => `${formatNumber(v)} ${t(`unit.${row.resource}`)}`,
          },
          {
            title: t("requests.target"),
            dataIndex: "target",
            align: "right",
            render: (v: number, row) => `${formatNumber(v)} ${t(`unit.${row.resource}`)}`,
          },
        ]}
      />
    </Card>
  );
}
