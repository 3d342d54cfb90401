import { Space, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { Bilingual } from "../../../lib/bilingual.js";
import { useBilingual } from "../../../lib/bilingual.js";
import { type CatalogControl, type CatalogLevel, parameterText } from "../../../lib/catalog.js";

/** The control's title in the reader's language, its id beneath. */
export function ControlTitle({ control }: { control: CatalogControl }) {
  const pick = useBilingual();
  return (
    <Space orientation="vertical" size={0}>
      <Typography.Text strong>{pick(control.title)}</Typography.Text>
      <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
        {control.id}
      </Typography.Text>
    </Space>
  );
}

export function ExemptibleTag({ exemptible }: { exemptible: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={exemptible ? "green" : "default"} data-exemptible={exemptible}>
      {t(exemptible ? "catalog.exemptibleYes" : "catalog.exemptibleNo")}
    </Tag>
  );
}

/** One tag per enforcing mechanism, named by the catalog's titles. */
export function MechanismTags({ ids, titles }: { ids: readonly string[]; titles: ReadonlyMap<string, Bilingual> }) {
  const pick = useBilingual();
  return (
    <Space size={[0, 4]} wrap>
      {ids.map((id) => {
        const title = titles.get(id);
        return (
          <Tag key={id} color="blue" style={{ whiteSpace: "normal" }}>
            {title ? pick(title) : id}
          </Tag>
        );
      })}
    </Space>
  );
}

/** The parameters of a control at a level, one `name: value` line each. */
export function ParameterList({ parameters }: { parameters: CatalogLevel["parameters"] }) {
  const { t } = useTranslation();
  if (parameters.length === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  const words = { yes: t("common.yes"), no: t("common.no") };
  return (
    <dl className="zy-params">
      {parameters.map((p) => (
        <div key={p.name}>
          <dt>{p.name}</dt>
          <dd>{parameterText(p.value, words)}</dd>
        </div>
      ))}
    </dl>
  );
}
