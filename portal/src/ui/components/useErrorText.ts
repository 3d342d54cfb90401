import { useTranslation } from "react-i18next";
import { describeError } from "../api/errors.js";
import { zh } from "../i18n/zh.js";

type AppCode = keyof typeof zh.error.code;
const isAppCode = (code: string | undefined): code is AppCode => code !== undefined && code in zh.error.code;

/** A title naming the kind of failure in the reader's language, and the server's explanation. */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: unknown): { title: string; detail: string } => {
    const info = describeError(error);
    if (info.network) return { title: t("error.title"), detail: t("error.network") };
    const title = isAppCode(info.appCode) ? t(`error.code.${info.appCode}`) : t("error.title");
    const detail = info.code === "INTERNAL_SERVER_ERROR" || !info.message ? t("error.unknown") : info.message;
    return { title, detail };
  };
}
