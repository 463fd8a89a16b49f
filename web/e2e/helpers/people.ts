/**
 * People for the social browser tests: accounts made through the HTTP API (the sign-up pages have their own test in
 * chat-flow), then signed in to a browser context the way the app does it — `POST /login` with `session: "cookie"`
 * sets the HttpOnly refresh cookie in that context — so each test starts on its first real screen in a second or so.
 */
import type { Browser, Page } from "playwright-core";
import { createUser, type TestUser } from "../../../test/helpers/factories.ts";
import { Person } from "./browser.ts";
import type { E2eServer } from "./server.ts";

export interface SignedIn {
  person: Person;
  page: Page;
  user: TestUser;
}

/** A new account, signed in to its own browser context, with one page open at `path` (default `/home`). */
export async function signedIn(
  browser: Browser,
  e2e: E2eServer,
  label: string,
  options: { overrides?: Record<string, unknown>; path?: string } = {},
): Promise<SignedIn> {
  const user = await createUser(e2e.server, { name: label, ...options.overrides });
  const person = await Person.open(browser, label, e2e.url);
  const answer = await person.context.request.post("/login", {
    data: { username: user.username, password: user.password, session: "cookie" },
  });
  if (answer.status() !== 200) throw new Error(`${label} could not log in: ${answer.status()} ${await answer.text()}`);
  // The app asks for a session only when this hint says one may exist (auth.ts).
  await person.context.addInitScript(() => localStorage.setItem("telegraph.session", "1"));
  const page = await person.newPage();
  await page.goto(options.path ?? "/home");
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  return { person, page, user };
}
