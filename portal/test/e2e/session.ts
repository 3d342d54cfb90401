/** Signing in and out, and finding rows, as a person does it in the browser (Chinese UI). */
import type { Page } from "playwright-core";
import { PASSWORD } from "./people.js";

export async function signIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录", exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

export async function signOut(page: Page): Promise<void> {
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "退出登录" }).click();
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
