import { Card, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../../lib/format.js";
import { amountOf, type Quantities, RESOURCES, type Resource } from "../../lib/resources.js";

/** What the system held just before a request's grant was applied. */
interface Before {
  resources: Quantities;
  segments: string[];
}

/**
 * Per resource: the total a new or change request asks for and what the system holds now. Given
 * `before` (a change whose grant has been applied), also what the system held just before it, so the
 * change reads before → requested even after later requests moved the grant on.
 */
export function ResourceTable({ target, current, before = null }: { target: Quantities; current: Quantities; before?: Before | null }) {
  const { t } = useTranslation();
  const shown = (res: Resource) => amountOf(target, res) > 0 || amountOf(current, res) > 0 || amountOf(before?.resources, res) > 0;
  const rows = RESOURCES.filter(shown).map((res) => ({
    resource: res,
    before: amountOf(before?.resources, res),
    target: amountOf(target, res),
    current: amountOf(current, res),
  }));
  const amountColumn = (key: "before" | "target" | "current", title: string) => ({
    title,
    dataIndex: key,
    align: "right" as const,
    render: (v: number, row: { resource: Resource }) => `${formatNumber(v)} ${t(`unit.${row.resource}`)}`,
  });
  return (
    <Card size="small" title={t("requests.resources")} style={{ marginBottom: 16 }}>
      <Table
        size="small"
        rowKey="resource"
        pagination={false}
        dataSource={rows}
        columns={[
          { title: t("requests.resources"), dataIndex: "resource", render: (res: Resource) => t(`resource.${res}`) },
          ...(before
            ? [
                amountColumn("before", t("requests.grantBefore")),
                amountColumn("target", t("requests.target")),
                amountColumn("current", t("requests.currentGrant")),
              ]
            : [amountColumn("current", t("requests.currentGrant")), amountColumn("target", t("requests.target"))]),
        ]}
      />
      {before && (
        <Typography.Paragraph style={{ margin: "8px 0 0" }} data-testid="segments-before">
          <Typography.Text type="secondary">{t("requests.segmentsBefore")}</Typography.Text>{" "}
          {before.segments.length ? before.segments.map((cidr) => <Tag key={cidr}>{cidr}</Tag>) : t("common.none")}
        </Typography.Paragraph>
      )}
    </Card>
  );
}
