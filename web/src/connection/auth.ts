import { me, session, sessionStatus, type Session } from "../state/session.ts";
import { postJson } from "./http.ts";
import { setSuspensionHandler, setTokenRenewer, startSocket, stopSocket, updateSocketToken } from "./socket.ts";

interface TokenAnswer {
  access_token?: string;
  expires_in?: number;
  user_id?: string;
  name?: string;
  family?: string;
  username?: string;
  email?: string;
  photo?: string | null;
  code?: string;
}

// Only a hint that a session cookie may exist (never a token), so a first visit does not ask the server in vain.
const HINT = "telegraph.session";

function hint(on: boolean): void {
  try {
    if (on) localStorage.setItem(HINT, "1");
    else localStorage.removeItem(HINT);
  } catch {
    // Storage may be disabled; the refresh is then always tried.
  }
}

function hinted(): boolean {
  try {
    return localStorage.getItem(HINT) === "1";
  } catch {
    return true;
  }
}

let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let refreshing: Promise<boolean> | null = null;
// While the account is being deleted, a socket the server drops must not send the app to the login screen early.
let leaving = false;

/** The user id inside an access token (its payload is readable; only the server checks the signature). */
function tokenUserId(token: string): string | null {
  try {
    const part = token.split(".")[1] ?? "";
    const json = JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/"))) as { user_id?: unknown; sub?: unknown };
    const id = json.user_id ?? json.sub;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

function adopt(answer: TokenAnswer): boolean {
  const token = answer.access_token;
  const userId = answer.user_id ?? (token ? tokenUserId(token) : null);
  if (!token || !userId) return false;
  const expiresIn = typeof answer.expires_in === "number" && answer.expires_in > 0 ? answer.expires_in : 900;
  const next: Session = { userId, accessToken: token, expiresAt: Date.now() + expiresIn * 1000 };
  const first = session.value?.userId !== userId;
  session.value = next;
  if (answer.username) me.value = { name: answer.name ?? "", family: answer.family ?? "", username: answer.username, email: answer.email, photo: answer.photo ?? null };
  sessionStatus.value = "in";
  hint(true);
  scheduleRefresh(expiresIn);
  if (first) startSocket(next);
  else updateSocketToken(token);
  return true;
}

function scheduleRefresh(expiresIn: number): void {
  clearTimeout(refreshTimer);
  // A minute before expiry (or at 80 % of a short lifetime).
  const lead = Math.min(60, expiresIn * 0.2);
  refreshTimer = setTimeout(() => void refreshSession(), Math.max(5, expiresIn - lead) * 1000);
}

function signedOut(): void {
  clearTimeout(refreshTimer);
  stopSocket();
  session.value = null;
  me.value = null;
  sessionStatus.value = "out";
  hint(false);
}

/**
 * The server says the account is suspended (a login, a refresh, the socket): stop everything and show the suspended
 * screen. The hint stays, so a reload asks again and lands there too; its Log out clears the cookie.
 */
function suspended(): void {
  clearTimeout(refreshTimer);
  stopSocket();
  session.value = null;
  me.value = null;
  sessionStatus.value = "suspended";
}

/** Trades the HttpOnly cookie for a fresh access token. Resolves false when there is no valid session. */
export function refreshSession(): Promise<boolean> {
  if (sessionStatus.value === "unknown" && !hinted()) {
    sessionStatus.value = "out";
    return Promise.resolve(false);
  }
  refreshing ??= (async () => {
    try {
      // One tab at a time: refresh tokens rotate, and a spent one sent by a second tab would end the login.
      const call = () => postJson<TokenAnswer>("/session/refresh", {}, { csrf: true });
      const answer = navigator.locks ? await navigator.locks.request("telegraph-session-refresh", call) : await call();
      if (answer.status === 200 && adopt(answer.body)) return true;
      if (answer.status === 403 && answer.body.code === "account_suspended") {
        suspended();
        return false;
      }
      if (answer.status === 0 || answer.status >= 500) {
        // Offline or server away: keep what we have and try again soon.
        if (sessionStatus.value === "unknown") sessionStatus.value = "out";
        else scheduleRefresh(20);
        return false;
      }
      signedOut();
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

export type LoginResult =
  | { ok: true }
  | { ok: false; reason: "invalid_credentials" | "email_confirmation_require" | "account_suspended" | "rate_limited" | "invalid_input" | "network"; retryAfter?: number };

/** Logs in with username or email; the server sets the refresh cookie. */
export async function logIn(username: string, password: string): Promise<LoginResult> {
  const answer = await postJson<TokenAnswer & { authenticated?: string }>("/login", { username, password, session: "cookie" });
  if (answer.status === 200 && adopt(answer.body)) return { ok: true };
  if (answer.status === 401) return { ok: false, reason: "invalid_credentials" };
  if (answer.status === 403 && answer.body.code === "account_suspended") {
    suspended();
    return { ok: false, reason: "account_suspended" };
  }
  if (answer.status === 403) return { ok: false, reason: "email_confirmation_require" };
  if (answer.status === 429) return { ok: false, reason: "rate_limited", retryAfter: answer.retryAfter ?? 60 };
  if (answer.status === 400) return { ok: false, reason: "invalid_input" };
  return { ok: false, reason: "network" };
}

/** Ends this device's login, or every login of the account. */
export async function logOut(everywhere = false): Promise<void> {
  // Close the socket first: the server drops it when the login ends, and it must not try to come back.
  stopSocket();
  await postJson("/session/logout", everywhere ? { everywhere: true } : {}, { csrf: true });
  signedOut();
}

/**
 * A same-origin request with this session's access token (`Authorization: Bearer`), renewed first when it is about to
 * expire and once more after a 401. Resolves null when there is no session or the network fails.
 */
export async function authedFetch(path: string, init: RequestInit = {}): Promise<Response | null> {
  const send = (token: string) => fetch(path, { ...init, credentials: "same-origin", headers: { ...init.headers, authorization: `Bearer ${token}` } }).catch(() => null);
  const current = session.value;
  if (!current) return null;
  if (current.expiresAt - Date.now() < 30_000 && !(await refreshSession())) return null;
  const first = await send(session.value?.accessToken ?? current.accessToken);
  if (first?.status !== 401 || !(await refreshSession()) || !session.value) return first;
  return send(session.value.accessToken);
}

/**
 * Runs the deletion of the account: meanwhile a socket the server drops is not brought back (the session would be
 * found gone, and the app would leave for the login screen before the deletion's answer says why).
 */
export async function whileLeaving<T>(work: () => Promise<T>): Promise<T> {
  leaving = true;
  try {
    return await work();
  } finally {
    leaving = false;
  }
}

// A socket dropped by the server asks here; when another tab has just logged out, follow it without asking.
setTokenRenewer(async () => {
  if (leaving) return false;
  if (!hinted()) {
    signedOut();
    return false;
  }
  return refreshSession();
});

setSuspensionHandler(suspended);

// Another tab logged out (the hint went away): this one follows, as the shared cookie is gone too.
window.addEventListener("storage", (event) => {
  if (event.key === HINT && event.newValue === null && sessionStatus.value === "in") signedOut();
});

// Timers sleep in a hidden tab: coming back, renew a token that is about to expire before anything uses it.
document.addEventListener("visibilitychange", () => {
  const current = session.value;
  if (document.visibilityState === "visible" && current && current.expiresAt - Date.now() < 90_000) void refreshSession();
});
