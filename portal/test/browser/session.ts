/** Signing in and out, and finding rows, as a person does it in the browser (Chinese UI). */

import { totpCode } from "@zhengyun/portal/test/auth/totp";
import type { Page } from "playwright-core";
import { settled } from "./browser.js";
import { AUTHENTICATORS, PASSWORD } from "./people.js";

/** Password, then (for those with an authenticator) the code from it, as a person signs in. */
export async function signIn(page: Page, baseUrl: string, username: string, password = PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(password);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  const authenticator = AUTHENTICATORS.get(username);
  if (authenticator) {
    await page.getByLabel("动态口令").fill(await totpCode(authenticator.db, authenticator.userId, authenticator.secret));
    await page.getByRole("button", { name: "验证", exact: true }).click();
  }
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/**
 * Opens the user menu and picks `item`, once the page has settled: a menu opened while the page
 * under it is still being replaced can close again, and then it is opened once more.
 */
export async function fromUserMenu(page: Page, item: string): Promise<void> {
  await settled(page);
  const entry = page.getByRole("menuitem", { name: item });
  for (let attempt = 1; ; attempt++) {
    await page.getByTestId("user-menu").click();
    try {
      await entry.waitFor({ state: "visible", timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await entry.click();
}

export async function signOut(page: Page): Promise<void> {
  await fromUserMenu(page, "退出登录");
  await page.waitForURL((url) => url.pathname === "/login");
  await page.getByText("您已安全退出").waitFor();
}

/** Narrows a table to one row by its filter box, and returns that row. */
export async function filteredRow(page: Page, text: string) {
  await page.getByLabel("搜索", { exact: true }).fill(text);
  const row = page.getByRole("row").filter({ hasText: text });
  await row.first().waitFor();
  return row.first();
}

/** The state of the request on its page (data-state, whatever the words say). */
export async function stateOnPage(page: Page): Promise<string | null> {
  return page.getByTestId("request-state").locator("[data-state]").getAttribute("data-state");
}
