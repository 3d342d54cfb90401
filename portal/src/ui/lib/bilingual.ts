import { useTranslation } from "react-i18next";

/** A text the server sends in both languages. */
export interface Bilingual {
  zh: string;
  en: string;
}

/** Picks a server-sent text in the reader's language, following the language switch. */
export function useBilingual(): (text: Bilingual) => string {
  const { i18n } = useTranslation();
  const english = i18n.language === "en";
  return (text) => (english ? text.en : text.zh);
}
