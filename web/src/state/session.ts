import { computed, signal } from "@preact/signals";

export interface Session {
  userId: string;
  accessToken: string;
  /** When the access token expires (ms since epoch). */
  expiresAt: number;
}

export interface Me {
  name: string;
  family: string;
  username: string;
  email?: string;
  photo: string | null;
}

/** "unknown" until the first /session/refresh answers; "suspended" once the server says the account is (a screen of its own). */
export const sessionStatus = signal<"unknown" | "in" | "out" | "suspended">("unknown");
export const session = signal<Session | null>(null);
export const me = signal<Me | null>(null);
export const myId = computed(() => session.value?.userId ?? null);
/** What the login screen says next (a deleted account), whatever route led there. */
export const loginNotice = signal<"account_deleted" | null>(null);
