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

/** "unknown" until the first /session/refresh answers. */
export const sessionStatus = signal<"unknown" | "in" | "out">("unknown");
export const session = signal<Session | null>(null);
export const me = signal<Me | null>(null);
export const myId = computed(() => session.value?.userId ?? null);
