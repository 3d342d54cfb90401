import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en.js";
import { zh } from "./zh.js";

export const LANGUAGES = ["zh", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = "zhengyun.lang";

declare module "i18next" {
  interface CustomTypeOptions {
    defaultNS: "translation";
    resources: { translation: typeof zh };
  }
}

function storedLanguage(): Language {
  try {
    const value = globalThis.localStorage?.getItem(STORAGE_KEY);
    return value === "en" ? "en" : "zh";
  } catch {
    return "zh";
  }
}

/** The HTML lang attribute for each language, for screen readers and fonts. */
export const HTML_LANG: Record<Language, string> = { zh: "zh-CN", en: "en" };

export function setLanguage(lang: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lang);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  void i18n.changeLanguage(lang);
}

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: "zh",
  interpolation: { escapeValue: false },
  returnNull: false,
});

export { i18n };
