import { Space, Typography } from "antd";
import { useTranslation } from "react-i18next";
import { formatNumber } from "../lib/format.js";
import { type Quantities, RESOURCES } from "../lib/resources.js";

/** "vCPU 4 核 · 内存 8 GiB …" for the non-zero amounts. */
export function QuantityList({ value, emptyText }: { value: Quantities; emptyText?: string }) {
  const { t } = useTranslation();
  const items = RESOURCES.filter((r) => (value[r] ?? 0) !== 0);
  if (items.length === 0) return <Typography.Text type="secondary">{emptyText ?? t("common.none")}</Typography.Text>;
  return (
    <Space size={[12, 2]} wrap>
      {items.map((r) => (
        <span key={r} style={{ whiteSpace: "nowrap" }}>
          <Typography.Text type="secondary">{t(`resource.${r}`)}</Typography.Text> {formatNumber(value[r] ?? 0)} {t(`unit.${r}`)}
        </span>
      ))}
    </Space>
  );
}
