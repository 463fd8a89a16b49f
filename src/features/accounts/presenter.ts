import type { UserRow } from "./repo.ts";
import type { TokenPair } from "./service.ts";

/** The login answer, in the founding clients' shape. */
export function presentLogin(user: UserRow, tokens: TokenPair, photoUrl: string | null) {
  return {
    authenticated: "ok" as const,
    user_id: user.id,
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    expires_in: tokens.expiresIn,
    name: user.name,
    family: user.family,
    username: user.username,
    email: user.email,
    photo: photoUrl,
    biography: user.biography,
  };
}

export function presentTokenPair(tokens: TokenPair) {
  return { access_token: tokens.accessToken, refresh_token: tokens.refreshToken, expires_in: tokens.expiresIn };
}
