import { Segmented } from "antd";
import { useTranslation } from "react-i18next";
import { type Language, setLanguage } from "../i18n/index.js";

/** 中文 / English, remembered in this browser. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const value: Language = i18n.language === "en" ? "en" : "zh";
  return (
    <Segmented<Language>
      size="small"
      aria-label={t("app.language")}
      value={value}
      onChange={(lang) => setLanguage(lang)}
      options={[
        { label: <span lang="zh-CN">中文</span>, value: "zh" },
        { label: <span lang="en">English</span>, value: "en" },
      ]}
    />
  );
}
