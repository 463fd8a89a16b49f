/**
 * Issue 16, "Tests in a real browser": two people in two browser contexts against a real server (confirmation mail
 * required, caught by a real SMTP server). The steps build on each other and run in order; every page fails the test
 * on a console error, an uncaught exception or a dialog.
 */
import { randomBytes } from "node:crypto";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { makeImage } from "../../test/helpers/images.ts";
import { copyToDocs, screenshot, seriousA11yViolations } from "./helpers/a11y.ts";
import { desktop, describeBrowser, launchBrowser, Person, phone } from "./helpers/browser.ts";
import { appLinkFrom, startE2eServer, type E2eServer } from "./helpers/server.ts";

const wait = { timeout: 10_000 };

interface Account {
  name: string;
  family: string;
  username: string;
  email: string;
  password: string;
}

function account(name: string): Account {
  const tag = randomBytes(3).toString("hex");
  return { name, family: "Tester", username: `${name.toLowerCase()}_${tag}`, email: `${name.toLowerCase()}.${tag}@example.com`, password: "correct horse battery staple" };
}

const byName = (page: Page | Locator, role: "button" | "link" | "menuitem", name: string) => page.getByRole(role, { name, exact: true });
/** A control that may be a button or a link (or a menu item in an actions menu). */
const control = (page: Page | Locator, name: string) =>
  byName(page, "button", name).or(byName(page, "link", name)).or(byName(page, "menuitem", name)).first();
const chatList = (page: Page) => page.getByRole("list", { name: "Chats" }).or(page.getByRole("navigation", { name: "Chats" })).or(page.getByLabel("Chats", { exact: true })).first();
const chatItem = (page: Page, name: string) => chatList(page).getByRole("link", { name: new RegExp(`^${name}`) }).or(chatList(page).getByRole("button", { name: new RegExp(`^${name}`) })).first();
const log = (page: Page) => page.getByRole("log", { name: "Messages" });
const messages = (page: Page) => log(page).locator("[data-message-id]");
const messageWith = (page: Page, text: string) => messages(page).filter({ hasText: text });
const byId = (page: Page, id: string) => log(page).locator(`[data-message-id="${id}"]`);
const composer = (page: Page) => page.getByLabel("Message", { exact: true });

/** What the page says in its alerts and status lines (for failure messages). */
function notices(page: Page): Promise<string[]> {
  return page.locator('[role="alert"], [role="status"], .banner').allInnerTexts();
}

async function openActions(page: Page, message: Locator): Promise<void> {
  await message.hover();
  await message.getByRole("button", { name: "Message actions" }).click();
}

describeBrowser("the web app in a real browser: two people sign up, confirm and chat", { timeout: 60_000 }, () => {
  let e2e: E2eServer;
  let browser: Browser;
  let a: Person;
  let b: Person;
  let pageA: Page;
  let pageB: Page;
  let tabA2: Page | undefined;
  let chatUrlA = "";
  let helloId = "";
  // Every screen is scanned where the flow reaches it; the findings are asserted together at the end, so one
  // screen's contrast problem does not hide what the later steps would find.
  const a11y = new Map<string, string[]>();
  const expectNoSeriousA11yViolations = async (page: Page, screen: string) => void a11y.set(screen, await seriousA11yViolations(page, screen));
  const alice = account("Alice");
  const bob = account("Bob");

  beforeAll(async () => {
    e2e = await startE2eServer();
    browser = await launchBrowser();
    a = await Person.open(browser, "Alice", e2e.url);
    b = await Person.open(browser, "Bob", e2e.url);
    pageA = await a.newPage();
    pageB = await b.newPage();
  }, 240_000);

  afterEach(() => {
    a?.assertNoProblems();
    b?.assertNoProblems();
  });

  afterAll(async () => {
    await browser?.close();
    await e2e?.stop();
  });

  it("shows the log-in screen at / (axe-clean, screenshots at both sizes)", async () => {
    await pageA.goto("/");
    await pageA.getByLabel("Username or email").waitFor(wait);
    await pageA.getByLabel("Password", { exact: true }).waitFor(wait);
    await byName(pageA, "button", "Log in").waitFor(wait);
    await expectNoSeriousA11yViolations(pageA, "login");
    await screenshot(pageA, "login", "desktop");
    await pageA.setViewportSize(phone);
    await screenshot(pageA, "login", "phone");
    await pageA.setViewportSize(desktop);
  });

  for (const who of ["Alice", "Bob"] as const) {
    it(`${who} signs up, sees "check your mail", and confirms through the link in the mail`, async () => {
      const page = who === "Alice" ? pageA : pageB;
      const acc = who === "Alice" ? alice : bob;
      await page.goto("/signup");
      await page.getByLabel("Name", { exact: true }).fill(acc.name);
      await page.getByLabel("Family name").fill(acc.family);
      await page.getByLabel("Username", { exact: true }).fill(acc.username);
      await page.getByLabel("Email", { exact: true }).fill(acc.email);
      await page.getByLabel("Password", { exact: true }).fill(acc.password);
      await page.getByLabel("Phone (optional)").waitFor(wait);
      if (who === "Alice") await expectNoSeriousA11yViolations(page, "signup");
      await byName(page, "button", "Sign up").click();
      await byName(page, "button", "Resend confirmation").waitFor(wait);
      if (who === "Alice") await expectNoSeriousA11yViolations(page, "check-mail");

      const link = appLinkFrom(await e2e.mailTo(acc.email), "/confirm");
      await page.goto(link);
      const toLogin = page.getByRole("link", { name: /log in/i }).first();
      await toLogin.waitFor(wait);
      await page.getByText(/confirmed/i).first().waitFor(wait);
      if (who === "Alice") await expectNoSeriousA11yViolations(page, "confirm");
      await toLogin.click();
      await page.getByLabel("Username or email").fill(who === "Alice" ? acc.username : acc.email);
      await page.getByLabel("Password", { exact: true }).fill(acc.password);
      await byName(page, "button", "Log in").click();
      await chatList(page).waitFor(wait);
      if (who === "Alice") await expectNoSeriousA11yViolations(page, "chat list");
    });
  }

  it("Alice finds Bob by username and writes; Bob's chat list shows it live with 1 unread and the title says (1)", async () => {
    await pageB.goto("/");
    await chatList(pageB).waitFor(wait);
    await control(pageA, "New chat").click();
    await pageA.getByLabel("Search people").fill(bob.username);
    await pageA.getByRole("link", { name: new RegExp(bob.name) }).or(pageA.getByRole("button", { name: new RegExp(bob.name) })).or(pageA.getByRole("option", { name: new RegExp(bob.name) })).first().click();
    await log(pageA).waitFor(wait);
    chatUrlA = pageA.url();
    await composer(pageA).fill("Hello Bob");
    await byName(pageA, "button", "Send").click();
    await messageWith(pageA, "Hello Bob").waitFor(wait);

    const item = chatItem(pageB, alice.name);
    await item.waitFor(wait);
    await item.getByText("Hello Bob").waitFor(wait);
    await item.getByLabel("1 unread", { exact: true }).waitFor(wait);
    await pageB.waitForFunction(() => document.title === "(1) Telegraph", undefined, wait);
  });

  it("Bob opens the chat and Alice's ticks turn to seen; the title clears", async () => {
    await chatItem(pageB, alice.name).click();
    await messageWith(pageB, "Hello Bob").waitFor(wait);
    await messageWith(pageA, "Hello Bob").and(pageA.locator('[data-status="seen"]')).waitFor(wait);
    await pageB.waitForFunction(() => document.title === "Telegraph", undefined, wait);
    await expectNoSeriousA11yViolations(pageB, "conversation");
  });

  it('Bob types and Alice sees "typing…" (before it, that he is online; his name leads to his profile)', async () => {
    const header = pageA.getByRole("region", { name: new RegExp(`^Conversation with ${bob.name}`) }).locator("header");
    await header.getByText("online", { exact: true }).waitFor(wait);
    expect(await header.getByRole("link", { name: new RegExp(bob.name) }).getAttribute("href")).toBe(`/@${bob.username}`);
    await composer(pageB).pressSequentially("Let me send you a pic", { delay: 20 });
    await header.getByText("typing…").waitFor(wait);
  });

  it("Bob replies to Alice's message with an image and Alice sees the quote and the image", async () => {
    await composer(pageB).fill("");
    await openActions(pageB, messageWith(pageB, "Hello Bob"));
    await control(pageB, "Reply").click();
    const chooser = pageB.waitForEvent("filechooser", wait);
    await byName(pageB, "button", "Attach image").click();
    await (await chooser).setFiles({ name: "sunset.png", mimeType: "image/png", buffer: await makeImage("png", 320, 240) });
    await composer(pageB).fill("Here it is");
    await byName(pageB, "button", "Send").click();

    const reply = messageWith(pageA, "Here it is");
    await reply.waitFor(wait);
    await reply.getByRole("button", { name: /Hello Bob/ }).waitFor(wait).catch(async (err: Error) => {
      throw new Error(`the reply shows no quote of "Hello Bob" (it reads: ${JSON.stringify(await reply.innerText())}): ${err.message}`);
    }); // the quote, a button that scrolls to the original
    const image = reply.locator("img").last();
    await image.waitFor(wait);
    await pageA.waitForFunction(
      (el) => el instanceof HTMLImageElement && el.complete && el.naturalWidth > 0,
      await image.elementHandle(),
      wait,
    );
  });

  it("Alice edits her message (Bob sees it and \"edited\"), then deletes it for everyone (it leaves Bob's view)", async () => {
    // The first message in the log is the original (Bob's reply quotes it, so its text matches the reply too).
    const original = messageWith(pageA, "Hello Bob").first();
    helloId = (await original.getAttribute("data-message-id")) ?? "";
    await openActions(pageA, original);
    await control(pageA, "Edit").click();
    await composer(pageA).fill("Hello Bob, edited text");
    await composer(pageA).press("Enter");
    const onB = byId(pageB, helloId);
    await onB.getByText("Hello Bob, edited text").first().waitFor(wait);
    await onB.waitFor(wait);
    await onB.getByText("edited", { exact: true }).waitFor(wait);

    await composer(pageA).fill("This one goes away");
    await byName(pageA, "button", "Send").click();
    await messageWith(pageB, "This one goes away").waitFor(wait);
    await openActions(pageA, messageWith(pageA, "This one goes away"));
    await control(pageA, "Delete for everyone").click();
    for (const [who, page] of [["Alice", pageA], ["Bob", pageB]] as const) {
      await messageWith(page, "This one goes away").waitFor({ state: "detached", ...wait }).catch(async (err: Error) => {
        throw new Error(`the message deleted for everyone is still in ${who}'s view; notices: ${JSON.stringify(await notices(page))}: ${err.message}`);
      });
    }
  });

  it("a reload keeps both sessions", async () => {
    await pageA.reload();
    await byId(pageA, helloId).getByText("Hello Bob, edited text").first().waitFor(wait);
    await pageB.reload();
    await messageWith(pageB, "Here it is").waitFor(wait);
    expect(pageA.url()).toBe(chatUrlA);
  });

  it("screenshots of the chat list and the conversation at 1280×800 and 390×844", async () => {
    const conversation = await screenshot(pageA, "conversation", "desktop");
    await copyToDocs(conversation, "screenshot-conversation.png");
    await pageA.setViewportSize(phone);
    await messageWith(pageA, "Here it is").waitFor(wait);
    await screenshot(pageA, "conversation", "phone");
    await pageA.goto("/");
    await chatItem(pageA, bob.name).waitFor(wait);
    await screenshot(pageA, "chat-list", "phone");
    await pageA.setViewportSize(desktop);
    await screenshot(pageA, "chat-list", "desktop");
    await chatItem(pageA, bob.name).click();
    await log(pageA).waitFor(wait);
  });

  it("Alice offline writes two messages (shown as sending); back online, Bob has each exactly once", async () => {
    await a.context.setOffline(true);
    await pageA.getByRole("status").or(pageA.getByRole("alert")).filter({ hasText: /offline|connection|connecting/i }).first().waitFor(wait);
    for (const text of ["Written offline one", "Written offline two"]) {
      await composer(pageA).fill(text);
      await byName(pageA, "button", "Send").click();
      await messageWith(pageA, text).and(pageA.locator('[data-status="sending"]')).waitFor(wait);
    }
    await a.context.setOffline(false);
    for (const text of ["Written offline one", "Written offline two"]) {
      await messageWith(pageA, text).and(pageA.locator('[data-status="sent"], [data-status="delivered"], [data-status="seen"]')).waitFor({ timeout: 20_000 });
      await messageWith(pageB, text).first().waitFor(wait);
    }
    // Once delivered, a retry must not add a second copy: B's view and B's server history each hold one.
    await expect.poll(() => messageWith(pageB, "Written offline one").count()).toBe(1);
    await expect.poll(() => messageWith(pageB, "Written offline two").count()).toBe(1);
    await pageB.reload();
    await messageWith(pageB, "Written offline two").waitFor(wait);
    expect(await messageWith(pageB, "Written offline one").count()).toBe(1);
    expect(await messageWith(pageB, "Written offline two").count()).toBe(1);
  }, 90_000);

  it("a second tab of Alice shows the same conversation and follows it live", async () => {
    tabA2 = await a.newPage();
    await tabA2.goto(chatUrlA);
    await messageWith(tabA2, "Written offline two").waitFor(wait);
    await composer(pageB).fill("Seen in both tabs?");
    await byName(pageB, "button", "Send").click();
    await messageWith(tabA2, "Seen in both tabs?").waitFor(wait);
    await messageWith(pageA, "Seen in both tabs?").waitFor(wait);
  });

  it("a message that looks like HTML is shown as text and runs nothing", async () => {
    const attack = "<img src=x onerror=alert(1)>";
    await composer(pageA).fill(attack);
    await byName(pageA, "button", "Send").click();
    await messageWith(pageB, attack).waitFor(wait);
    await messageWith(pageB, attack).getByText(attack, { exact: true }).waitFor(wait);
    expect(await log(pageB).locator('img[src="x"]').count()).toBe(0);
    expect(await log(pageA).locator('img[src="x"]').count()).toBe(0);
    expect(b.problems.dialogs).toEqual([]);
    expect(a.problems.dialogs).toEqual([]);
  });

  it("the settings screen passes axe; log out leads back to the log-in screen, log out everywhere ends the other tab too", async () => {
    await pageA.goto("/settings");
    await byName(pageA, "button", "Log out").waitFor(wait);
    await byName(pageA, "button", "Log out everywhere").waitFor(wait);
    await expectNoSeriousA11yViolations(pageA, "settings");
    await byName(pageA, "button", "Log out everywhere").click();
    await pageA.getByLabel("Username or email").waitFor(wait);
    await tabA2!.getByLabel("Username or email").waitFor({ timeout: 20_000 });

    await pageB.goto("/settings");
    await byName(pageB, "button", "Log out").click();
    await pageB.getByLabel("Username or email").waitFor(wait);
    await pageB.reload();
    await pageB.getByLabel("Username or email").waitFor(wait);
  }, 60_000);

  it("axe finds no serious or critical violation on any screen (login, signup, check-mail, confirm, chat list, conversation, settings)", () => {
    expect([...a11y.keys()].sort()).toEqual(["chat list", "check-mail", "confirm", "conversation", "login", "settings", "signup"]);
    expect([...a11y.values()].flat().join("\n")).toBe("");
  });
});
