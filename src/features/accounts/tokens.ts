import { createHash, randomBytes } from "node:crypto";
import { errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { ID_PATTERN } from "../../shared/ids.ts";

/** The claims Telegraph relies on, from a token it issued or one signed elsewhere with the same secret. */
export interface AccessClaims {
  userId: string;
  /** Issued at, ms since the epoch (our tokens carry ms in `iat_ms`; others have `iat` in seconds); undefined when unknown. */
  issuedAtMs: number | undefined;
  /** Expiry, seconds since the epoch. */
  expiresAt: number;
  /** When the login this token comes from checked the password, ms since the epoch (`login_ms`); undefined when unknown. */
  loggedInAtMs: number | undefined;
}

/** HS256 access tokens keyed by the UTF-8 bytes of JWT_SECRET, as `jsonwebtoken.sign(payload, secret)` does. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  /** Signs `{ user_id }` with iat and exp, and the time of the login it comes from when known. */
  async sign(userId: string, nowMs: number, loggedInAtMs?: number): Promise<{ token: string; expiresIn: number }> {
    const iat = Math.floor(nowMs / 1000);
    // iat_ms orders a token against a password change made in the same second.
    const token = await new SignJWT({ user_id: userId, iat_ms: nowMs, ...(loggedInAtMs !== undefined ? { login_ms: loggedInAtMs } : {}) })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
    return { token, expiresIn: this.ttlSeconds };
  }

  /**
   * Verifies signature (HS256 only, so `alg: none` and other algorithms are refused) and expiry.
   * A token without `exp` (as `jsonwebtoken.sign({ user_id }, secret)` makes) expires ACCESS_TOKEN_TTL after its `iat`;
   * one with neither is refused. Returns null for any token that is not acceptable.
   */
  async verify(token: string, nowMs: number): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { algorithms: ["HS256"], currentDate: new Date(nowMs) });
      const userId = payload["user_id"];
      if (typeof userId !== "string" || !ID_PATTERN.test(userId)) return null;
      const expiresAt = payload.exp ?? (payload.iat !== undefined ? payload.iat + this.ttlSeconds : undefined);
      if (expiresAt === undefined || expiresAt * 1000 <= nowMs) return null;
      const iatMs = payload["iat_ms"];
      const issuedAtMs = typeof iatMs === "number" ? iatMs : payload.iat !== undefined ? payload.iat * 1000 : undefined;
      const loginMs = payload["login_ms"];
      return { userId, issuedAtMs, expiresAt, loggedInAtMs: typeof loginMs === "number" ? loginMs : undefined };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return null;
      throw err;
    }
  }
}

/** A random opaque token (refresh, email) and the hash under which it is stored. */
export function newOpaqueToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, hash: hashOpaqueToken(token) };
}

export function hashOpaqueToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}
