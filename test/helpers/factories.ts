import { randomBytes } from "node:crypto";
import { connect, TelegraphClient, type ClientOptions, type ServerPayloads } from "telegraph-client";
import { serverPushTable } from "../../src/realtime/protocol.ts";
import { post } from "./http.ts";
import type { TestServer } from "./server.ts";

export interface TestUser {
  userId: string;
  username: string;
  email: string;
  password: string;
  name: string;
  accessToken: string;
  refreshToken: string;
}

let sequence = 0;

/** Registration fields that no other test uses. */
export function newRegistration(overrides: Record<string, unknown> = {}) {
  const tag = `${process.pid.toString(36)}${(++sequence).toString(36)}${randomBytes(2).toString("hex")}`;
  return { name: "Test", family: "User", username: `u_${tag}`, email: `${tag}@example.com`, password: "correct horse", ...overrides };
}

/** Registers and logs in through the HTTP API (the server runs with EMAIL_CONFIRMATION=off unless told otherwise). */
export async function createUser(server: TestServer, overrides: Record<string, unknown> = {}): Promise<TestUser> {
  const registration = newRegistration(overrides);
  const registered = await post(server.url, "/register", registration);
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`);
  const login = await post(server.url, "/login", { username: registration.username, password: registration.password });
  if (login.status !== 200) throw new Error(`login failed: ${JSON.stringify(login.body)}`);
  return {
    userId: registered.body["user_id"] as string,
    username: registration.username,
    email: registration.email,
    password: registration.password,
    name: registration.name,
    accessToken: login.body["access_token"] as string,
    refreshToken: login.body["refresh_token"] as string,
  };
}

/** A connected typed client for the user; closed by `closeAll`. */
export async function connectAs(
  server: TestServer,
  user: Pick<TestUser, "accessToken">,
  options: Partial<ClientOptions> = {},
): Promise<TelegraphClient> {
  const client = await connect(server.url, { accessToken: user.accessToken, reconnection: false, ...options });
  openClients.add(client);
  return client;
}

const openClients = new Set<TelegraphClient>();

/** Closes every client connectAs opened (call in afterEach/afterAll). */
export function closeAll(): void {
  for (const client of openClients) client.close();
  openClients.clear();
}

/**
 * Connects and captures the bootstrap emits, whose listeners must exist before the connection opens
 * (they can arrive in the same packet as the acceptance).
 */
export async function connectWithBootstrap(server: TestServer, user: Pick<TestUser, "accessToken">) {
  const client = new TelegraphClient(server.url, { accessToken: user.accessToken, reconnection: false });
  const unread = client.next("allUnreadMsgFromServer");
  const chatList = client.next("SendChatListFromServer");
  // Every other bootstrap emit too, so that nothing of the bootstrap arrives after this resolves.
  const others = Object.entries(serverPushTable)
    .filter(([event, def]) => def.onConnect && event !== "allUnreadMsgFromServer" && event !== "SendChatListFromServer")
    .map(([event]) => client.next(event as keyof ServerPayloads));
  await client.open();
  openClients.add(client);
  await Promise.all(others);
  return { client, unread: await unread, chatList: await chatList };
}

/** Records every event a client receives, by name, from now on. */
export function record(client: TelegraphClient): { events: { event: string; payload: unknown }[]; of(event: string): unknown[] } {
  const events: { event: string; payload: unknown }[] = [];
  client.socket.onAny((event: string, payload: unknown) => events.push({ event, payload }));
  return { events, of: (event) => events.filter((e) => e.event === event).map((e) => e.payload) };
}

/** Lets in-flight pushes arrive before asserting that something did not. */
export const settle = (ms = 150) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it holds (true) or `ms` have passed (false). */
export async function waitFor(check: () => Promise<boolean>, ms: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await settle(everyMs);
  }
  return false;
}
