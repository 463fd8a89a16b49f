import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { limiter } from "../../realtime/rate-limit.ts";
import { AppError } from "../../shared/errors.ts";
import { TOMBSTONE_NAME, tombstoneUsername, type AfterErasure, type EraseUser } from "../../shared/tombstone.ts";
import type { AccountsDeps } from "./deps.ts";
import * as repo from "./lifecycle-repo.ts";
import { verifyPassword } from "./passwords.ts";
import type { SessionsService } from "./service.ts";

/**
 * How recent the login behind a deletion's access token must be: its password check at most this long ago (a refresh
 * does not renew it; a token signed elsewhere, without `login_ms`, never qualifies). With the password in the body too,
 * a token left on a shared machine, or one a stolen refresh token keeps minting, is not enough to delete the account.
 */
export const FRESH_TOKEN_MS = 5 * 60 * 1000;

export interface DeletionDeps extends AccountsDeps {
  sessions: Pick<SessionsService, "authenticate">;
  /**
   * Each feature's part of the deletion (tweets, stories, graph, groups, notifications, push, messages; the update log
   * last), run in this order inside the one transaction; each returns what it tells others after the commit.
   */
  erasers: readonly EraseUser[];
}

/**
 * `DELETE /account`: the account and everything it owns go in one transaction; its row stays as a tombstone so the
 * messages it exchanged stay readable by the other side, shown from "Deleted account".
 */
export class AccountDeletionService {
  // Wrong passwords per account, as for logins: a stolen fresh token does not buy unlimited password guesses.
  private readonly failures: RateLimiterAbstract;

  constructor(private readonly deps: DeletionDeps) {
    const shared = deps.redis && { ...deps.redis, prefix: `${deps.redis.prefix}:rl:delete-account` };
    this.failures = limiter(deps.config.loginRateLimitAccount, shared);
  }

  /**
   * Deletes the account of this access token when the token is fresh (FRESH_TOKEN_MS) and the password right.
   * Refusals change nothing: `unauthenticated`, `reauth_required`, `forbidden` (wrong password), `rate_limited`.
   */
  async deleteAccount(accessToken: string, password: string): Promise<void> {
    const { accessTokens, clock, db } = this.deps;
    const token = await this.deps.sessions.authenticate(accessToken);
    if (!token) throw new AppError("unauthenticated", "The access token is invalid or expired.");
    const now = clock.now();
    const claims = await accessTokens.verify(accessToken, now);
    if (claims?.loggedInAtMs === undefined || now - claims.loggedInAtMs > FRESH_TOKEN_MS) {
      throw new AppError("reauth_required", "Deleting the account needs a token from a login in the last 5 minutes: log in again.");
    }
    const userId = token.userId;
    const spent = await this.failures.get(userId);
    if (spent && spent.consumedPoints >= this.failures.points) {
      throw new AppError("rate_limited", `Too many wrong passwords; retry in ${Math.ceil(spent.msBeforeNext / 1000)} s.`);
    }
    if (!(await verifyPassword(await repo.findLiveAccountHash(db, userId), password))) {
      await this.failures.penalty(userId, 1).catch((err: unknown) => {
        if (!(err instanceof RateLimiterRes)) throw err;
      });
      throw new AppError("forbidden", "Wrong password.");
    }
    // Dropped before, so the devices stop writing while the transaction runs, and after, for any that raced it.
    this.deps.disconnectUser(userId);
    const after = await this.erase(userId);
    this.deps.disconnectUser(userId);
    for (const work of after) {
      await Promise.resolve()
        .then(work)
        .catch((err: unknown) => this.deps.log.error({ err, userId }, "telling others of an account deletion failed"));
    }
    this.deps.log.info({ userId }, "account deleted");
  }

  /** The one transaction: every feature's part, then the tombstone, the quarantine and the tokens. */
  private async erase(userId: string): Promise<AfterErasure[]> {
    const { clock, config, db } = this.deps;
    return db.transaction(async (tx) => {
      const account = await repo.lockLiveAccount(tx, userId);
      if (!account) throw new AppError("unauthenticated", "The account is already deleted.");
      const at = new Date(clock.now());
      const after: AfterErasure[] = [];
      for (const erase of this.deps.erasers) after.push(await erase(tx, userId, at));
      await repo.writeTombstone(tx, userId, { name: TOMBSTONE_NAME, username: tombstoneUsername(userId), email: `${userId}@deleted.invalid` }, at);
      await repo.quarantineUsername(tx, account.username, config.usernameQuarantine);
      await repo.deleteTokensOf(tx, userId);
      return after;
    });
  }
}
