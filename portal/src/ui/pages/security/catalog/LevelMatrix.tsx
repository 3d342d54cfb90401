import { MinusOutlined } from "@ant-design/icons";
import { Badge, Empty, Table, Typography, theme } from "antd";
import { useTranslation } from "react-i18next";
import { useBilingual } from "../../../lib/bilingual.js";
import { atLevel, type CatalogControl, changesAt, type Level, type PolicyCatalog } from "../../../lib/catalog.js";
import { ControlTitle, ExemptibleTag } from "./ControlTags.js";

/** Every control against every level: where it applies, what it demands, and where that changes. */
export function LevelMatrix({ catalog, selected }: { catalog: PolicyCatalog; selected: Level }) {
  const { t } = useTranslation();
  const pick = useBilingual();
  const { token } = theme.useToken();
  const highlight = (level: Level) => (level === selected ? { style: { background: token.colorPrimaryBg } } : {});
  return (
    <>
      <Typography.Paragraph type="secondary">
        <Badge status="processing" text={t("catalog.changed")} />
      </Typography.Paragraph>
      <Table<CatalogControl>
        rowKey="id"
        size="small"
        bordered
        dataSource={catalog.controls}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1150 }}
        locale={{ emptyText: <Empty description={t("empty.catalog")} /> }}
        columns={[
          { title: t("catalog.control"), key: "control", width: 220, fixed: "start", render: (_, c) => <ControlTitle control={c} /> },
          ...catalog.levels.map((level) => ({
            title: t(`level.${level}`),
            key: `level-${level}`,
            onHeaderCell: () => highlight(level),
            onCell: () => highlight(level),
            render: (_: unknown, c: CatalogControl) => {
              const here = atLevel(c, level);
              if (!here)
                return (
                  <Typography.Text type="secondary" aria-label={t("catalog.notApplicable")} data-applies="false">
                    <MinusOutlined aria-hidden />
                  </Typography.Text>
                );
              const changed = changesAt(c, level);
              return (
                <span data-applies="true" data-changed={changed} style={{ fontSize: 12 }}>
                  {changed && (
                    <>
                      <Badge status="processing" style={{ marginInlineEnd: 6 }} />
                      <span className="zy-sr-only">{t("catalog.changed")}: </span>
                    </>
                  )}
                  {pick(here.summary)}
                </span>
              );
            },
          })),
          { title: t("catalog.exemptible"), dataIndex: "exemptible", width: 110, render: (e: boolean) => <ExemptibleTag exemptible={e} /> },
        ]}
      />
    </>
  );
}
