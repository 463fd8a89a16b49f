import { AppError } from "../../shared/errors.ts";
import { newId } from "../../shared/ids.ts";
import type { AccountsDeps } from "./deps.ts";
import { LoginLimiter } from "./login-limiter.ts";
import { verifyPassword } from "./passwords.ts";
import * as repo from "./repo.ts";
import { hashOpaqueToken, newOpaqueToken } from "./tokens.ts";
import type { UserRow } from "./repo.ts";
import { BatchLoader } from "../../shared/batch.ts";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export type LoginResult =
  | { status: "ok"; user: UserRow; tokens: TokenPair }
  | { status: "invalid_credentials" }
  | { status: "email_confirmation_require" }
  | { status: "account_suspended" }
  | { status: "rate_limited"; retryAfter: number };

export interface AuthenticatedToken {
  userId: string;
  /** Milliseconds since the epoch at which this token stops being accepted. */
  expiresAtMs: number;
}

/** Logins, token pairs and the check every socket connection goes through. */
export class SessionsService {
  private readonly limiter: LoginLimiter;
  /** Every socket connection authenticates: in a storm of reconnects, their user reads share queries. */
  private readonly users: BatchLoader<string, repo.UserRow>;

  constructor(private readonly deps: AccountsDeps) {
    this.limiter = new LoginLimiter(deps.config.loginRateLimitAddress, deps.config.loginRateLimitAccount, deps.redis);
    this.users = new BatchLoader(async (ids) => new Map((await repo.findUsersByIds(deps.db, ids)).map((u) => [u.id, u])));
  }

  /** Username or email plus password; wrong user and wrong password answer alike. */
  async login(login: string, password: string, address: string): Promise<LoginResult> {
    const account = login.toLowerCase();
    const wait = await this.limiter.admit(address, account);
    if (wait > 0) return { status: "rate_limited", retryAfter: wait };
    const user = await repo.findUserByLogin(this.deps.db, account);
    if (!(await verifyPassword(user?.password_hash, password)) || !user) {
      await this.limiter.recordFailure(account);
      return { status: "invalid_credentials" };
    }
    await this.limiter.recordSuccess(account);
    if (this.deps.config.emailConfirmation === "required" && !user.email_confirmed_at) {
      return { status: "email_confirmation_require" };
    }
    // Told only to whoever knows the password.
    if (user.suspended_at) return { status: "account_suspended" };
    return { status: "ok", user, tokens: await this.issuePair(user.id, newId(), this.deps.clock.now()) };
  }

  /**
   * Rotates a refresh token: the presented one is spent and a new pair is issued in the same login.
   * Presenting a spent token again means it leaked: the whole login is revoked.
   */
  async refresh(refreshToken: string): Promise<TokenPair | null> {
    const { db } = this.deps;
    const row = await repo.findRefreshToken(db, hashOpaqueToken(refreshToken));
    if (!row) return null;
    if (row.revoked_at) return null;
    if (row.expires_at.getTime() <= this.deps.clock.now()) return null;
    // Refused before the token is spent: once the suspension is lifted it works again.
    const [user] = await repo.findUsersByIds(db, [row.user_id]);
    if (user?.suspended_at) throw new AppError("account_suspended", "This account is suspended.");
    if (!(await repo.markRefreshTokenUsed(db, row.id))) {
      await repo.revokeRefreshFamily(db, row.family_id);
      this.deps.log.warn({ userId: row.user_id, family: row.family_id }, "refresh token reused; login revoked");
      return null;
    }
    return this.issuePair(row.user_id, row.family_id, row.logged_in_at?.getTime());
  }

  /**
   * Ends the login the refresh token belongs to, and the device's push subscription when given; `everywhere` ends every
   * login of that user (and every push subscription) and drops their sockets.
   */
  async logout(refreshToken: string, everywhere: boolean, pushEndpoint?: string): Promise<void> {
    const { db } = this.deps;
    const row = await repo.findRefreshToken(db, hashOpaqueToken(refreshToken));
    if (!row) return;
    if (!everywhere) {
      await repo.revokeRefreshFamily(db, row.family_id);
      await this.deps.loggedOut?.(row.user_id, { everywhere: false, pushEndpoint });
      return;
    }
    await db.transaction(async (tx) => {
      await repo.revokeUserRefreshTokens(tx, row.user_id);
      await repo.invalidateSessions(tx, row.user_id, new Date(this.deps.clock.now()));
    });
    await this.deps.loggedOut?.(row.user_id, { everywhere: true, pushEndpoint });
    this.deps.disconnectUser(row.user_id);
  }

  /**
   * Accepts a valid, unexpired access token of a user who still exists, is not suspended, and issued after their last
   * password change or logout everywhere.
   */
  async authenticate(accessToken: string): Promise<AuthenticatedToken | null> {
    const result = await this.check(accessToken);
    return result === "suspended" ? null : result;
  }

  /** `authenticate`, telling a suspended account's valid token apart (socket connections say why they are refused). */
  async check(accessToken: string): Promise<AuthenticatedToken | "suspended" | null> {
    const now = this.deps.clock.now();
    const claims = await this.deps.accessTokens.verify(accessToken, now);
    if (!claims) return null;
    const user = await this.users.load(claims.userId);
    if (!user) return null;
    const validAfter = user.sessions_valid_after.getTime();
    if (validAfter > 0 && (claims.issuedAtMs === undefined || claims.issuedAtMs < validAfter)) return null;
    if (user.suspended_at) return "suspended";
    return { userId: user.id, expiresAtMs: claims.expiresAt * 1000 };
  }

  /** A new pair in a login's family; `loggedInAtMs` (when the login checked the password) rides along in both. */
  private async issuePair(userId: string, familyId: string, loggedInAtMs: number | undefined): Promise<TokenPair> {
    const { clock, config, db, accessTokens } = this.deps;
    const refresh = newOpaqueToken();
    await repo.insertRefreshToken(db, {
      id: newId(),
      userId,
      familyId,
      hash: refresh.hash,
      expiresAt: new Date(clock.now() + config.refreshTokenTtl * 1000),
      loggedInAt: loggedInAtMs === undefined ? null : new Date(loggedInAtMs),
    });
    const access = await accessTokens.sign(userId, clock.now(), loggedInAtMs);
    return { accessToken: access.token, refreshToken: refresh.token, expiresIn: access.expiresIn };
  }
}
