import { Input } from "antd";
import { useTranslation } from "react-i18next";

/** The text box that narrows a table as one types; labelled "搜索" / "Search" for every reader. */
export function TableFilter({ onChange, placeholder, width = 300 }: { onChange: (text: string) => void; placeholder?: string; width?: number }) {
  const { t } = useTranslation();
  return (
    <Input.Search
      allowClear
      placeholder={placeholder ?? t("common.filterPlaceholder")}
      aria-label={t("common.search")}
      onChange={(e) => onChange(e.target.value)}
      style={{ width }}
    />
  );
}
