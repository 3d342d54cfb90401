/** Debian's chromium driven by playwright-core, one fresh profile per run. */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

export const SCREENSHOT_DIR = fileURLToPath(new URL("../../../test-artifacts/screenshots/", import.meta.url));

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions thrown in the page; a healthy journey has none. */
  pageErrors: string[];
  /** What the Content-Security-Policy refused (scripts, styles, frames…); the UI needs none of it. */
  cspViolations: string[];
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "zhengyun-e2e-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    // The UI honours prefers-reduced-motion: no dialog or toast is caught mid-animation.
    reducedMotion: "reduce",
  });
  context.setDefaultTimeout(15_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on("pageerror", (err) => pageErrors.push(err.message));
  const cspViolations: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  return {
    context,
    page,
    pageErrors,
    cspViolations,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits until the page shows what it loaded: no request in flight, no lazy page, table or panel
 * still loading, and every chart drawn to the end of its animation. (Dialogs and toasts do not
 * animate: the context asks for reduced motion.)
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () =>
      document.querySelector(".ant-spin-spinning, .ant-skeleton") === null &&
      Array.from(document.querySelectorAll("[data-chart]")).every((chart) => chart.getAttribute("data-drawn") === "true"),
  );
}

/** A 1440×900 picture of the page once it has settled, under test-artifacts/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await settled(page);
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}
