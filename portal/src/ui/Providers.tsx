import { QueryClientProvider } from "@tanstack/react-query";
import { App as AntApp, ConfigProvider } from "antd";
import enUS from "antd/es/locale/en_US.js";
import zhCN from "antd/es/locale/zh_CN.js";
import dayjs from "dayjs";
import "dayjs/locale/zh-cn.js";
import { type ReactNode, useEffect } from "react";
import { useTranslation } from "react-i18next";
import { queryClient } from "./api/trpc.js";
import { HTML_LANG } from "./i18n/index.js";
import { interopDefault } from "./lib/interop.js";

const ANTD_LOCALE = { zh: interopDefault(zhCN), en: interopDefault(enUS) };

/** People who ask their system for less motion get no antd animations. */
const reducedMotion = (): boolean => globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;

/** Language (antd, dayjs, <html lang>), theme, and the query cache for everything below. */
export function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const lang = i18n.language === "en" ? "en" : "zh";
  useEffect(() => {
    dayjs.locale(lang === "zh" ? "zh-cn" : "en");
    document.documentElement.lang = HTML_LANG[lang];
    document.title = `${i18n.t("app.name")} · ${i18n.t("app.title")}`;
  }, [lang, i18n]);
  return (
    <ConfigProvider
      locale={ANTD_LOCALE[lang]}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: "#1d4ed8", borderRadius: 6, motion: !reducedMotion() } }}
    >
      <AntApp>
        <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
