import { Empty, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { useBilingual } from "../../../lib/bilingual.js";
import { atLevel, type CatalogControl, controlsAt, type Level, type PolicyCatalog } from "../../../lib/catalog.js";
import { ControlTitle, ExemptibleTag, MechanismTags, ParameterList } from "./ControlTags.js";

/** The controls that apply at one level: what each demands there, how it is enforced, whether it may be exempted. */
export function LevelTable({ catalog, level }: { catalog: PolicyCatalog; level: Level }) {
  const { t } = useTranslation();
  const pick = useBilingual();
  const families = new Map(catalog.families.map((f) => [f.id, f.title]));
  const mechanisms = new Map(catalog.mechanisms.map((m) => [m.id as string, m.title]));
  const rows = controlsAt(catalog, level);
  return (
    <>
      <Typography.Paragraph type="secondary" data-testid="catalog-count">
        {t("catalog.applying", { level: t(`level.${level}`), count: rows.length })}
      </Typography.Paragraph>
      <Table<CatalogControl>
        rowKey="id"
        size="middle"
        dataSource={rows}
        pagination={false}
        tableLayout="fixed"
        scroll={{ x: 1150 }}
        locale={{ emptyText: <Empty description={t("empty.catalog")} /> }}
        expandable={{
          expandedRowRender: (c) => (
            <div style={{ maxWidth: 880 }}>
              <Typography.Text type="secondary">{t("catalog.requirement")}</Typography.Text>
              <Typography.Paragraph style={{ margin: 0 }}>{pick(c.requirement)}</Typography.Paragraph>
            </div>
          ),
        }}
        columns={[
          { title: t("catalog.control"), key: "control", width: 220, render: (_, c) => <ControlTitle control={c} /> },
          {
            title: t("catalog.family"),
            dataIndex: "family",
            width: 150,
            render: (id: CatalogControl["family"]) => {
              const title = families.get(id);
              return <Tag style={{ whiteSpace: "normal" }}>{title ? pick(title) : id}</Tag>;
            },
          },
          { title: t("catalog.mechanisms"), dataIndex: "mechanisms", width: 190, render: (ids: string[]) => <MechanismTags ids={ids} titles={mechanisms} /> },
          {
            title: t("catalog.requires"),
            key: "summary",
            render: (_, c) => {
              const here = atLevel(c, level);
              return here ? pick(here.summary) : null;
            },
          },
          {
            title: t("catalog.parameters"),
            key: "parameters",
            width: 230,
            render: (_, c) => <ParameterList parameters={atLevel(c, level)?.parameters ?? []} />,
          },
          { title: t("catalog.exemptible"), dataIndex: "exemptible", width: 110, render: (e: boolean) => <ExemptibleTag exemptible={e} /> },
        ]}
      />
    </>
  );
}
