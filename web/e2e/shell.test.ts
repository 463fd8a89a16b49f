/**
 * The signed-in shell of part 2: every section of the navigation opens its screen, on a desktop and on a phone, with
 * no console error, and the browser's back button returns to where one was.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, launchBrowser, phone } from "./helpers/browser.ts";
import { signedIn, type SignedIn } from "./helpers/people.ts";
import { startE2eServer, type E2eServer } from "./helpers/server.ts";

describeBrowser("the shell's navigation", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let a: SignedIn;

  beforeAll(async () => {
    [e2e, browser] = await Promise.all([startE2eServer({ confirmation: "off" }), launchBrowser()]);
    a = await signedIn(browser, e2e, "Ana");
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await e2e?.stop();
  });

  const sections = (): [string, RegExp][] => [
    ["Home", /\/home$/],
    ["Chats", /\/$/],
    ["Search", /\/search$/],
    ["Notifications", /\/notifications$/],
    ["Requests", /\/requests$/],
    ["Profile", new RegExp(`/@${a.user.username}$`)],
    ["Settings", /\/settings$/],
  ];

  it("opens each section from the navigation, on a desktop and on a phone", async () => {
    const { page } = a;
    for (const viewport of [undefined, phone]) {
      if (viewport) await page.setViewportSize(viewport);
      for (const [label, url] of sections()) {
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: label }).click();
        await expect.poll(() => page.url(), { message: `${label} leads to its path` }).toMatch(url);
        await expect.poll(() => page.getByRole("link", { name: label, exact: false }).first().getAttribute("aria-current")).toBe("page");
      }
    }
    await page.goBack();
    await expect.poll(() => page.url()).toMatch(new RegExp(`/@${a.user.username}$`));
    a.person.assertNoProblems();
  });
});
