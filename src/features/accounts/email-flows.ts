import { isUniqueViolation, type Queryable } from "../../db/db.ts";
import { newId } from "../../shared/ids.ts";
import type { AccountsDeps } from "./deps.ts";
import { hashPassword } from "./passwords.ts";
import * as repo from "./repo.ts";
import type { EmailTokenPurpose } from "./repo.ts";
import { hashOpaqueToken, newOpaqueToken } from "./tokens.ts";

export interface Registration {
  name: string;
  family: string;
  username: string;
  email: string;
  password: string;
  phone: string | null;
}

export type RegisterResult = { status: "user_created"; userId: string } | { status: "email_exists" | "username_exists" };

/** Registration, email confirmation and password reset: the flows that go through a mailed single-use token. */
export class EmailFlowsService {
  constructor(private readonly deps: AccountsDeps) {}

  /**
   * Creates the account and, unless confirmation is off, queues a confirmation mail in the same transaction: the
   * registration succeeds whether or not the mail server answers, and the mail goes out when it does.
   */
  async register(input: Registration): Promise<RegisterResult> {
    const { db, config } = this.deps;
    const taken = await repo.findTakenIdentity(db, input.email, input.username);
    if (taken.email) return { status: "email_exists" };
    if (taken.username) return { status: "username_exists" };
    const userId = newId();
    const confirmationRequired = config.emailConfirmation === "required";
    const passwordHash = await hashPassword(input.password);
    try {
      await db.transaction(async (tx) => {
        await repo.insertUser(tx, {
          id: userId,
          name: input.name,
          family: input.family,
          username: input.username,
          email: input.email,
          phone: input.phone,
          passwordHash,
          emailConfirmedAt: confirmationRequired ? null : new Date(this.deps.clock.now()),
        });
        if (confirmationRequired) await this.queueTokenMail(tx, userId, input.email, "confirm_email");
      });
    } catch (err) {
      // Someone registered the same name between the check and the insert.
      if (isUniqueViolation(err, "users_email_key")) return { status: "email_exists" };
      if (isUniqueViolation(err, "users_username_key")) return { status: "username_exists" };
      throw err;
    }
    if (confirmationRequired) this.deps.outbox.wake();
    return { status: "user_created", userId };
  }

  /** Spends a confirmation token; false when it is unknown, used or expired. */
  async confirmEmail(token: string): Promise<boolean> {
    return this.deps.db.transaction(async (tx) => {
      const userId = await repo.consumeEmailToken(tx, hashOpaqueToken(token), "confirm_email");
      if (!userId) return false;
      await repo.markEmailConfirmed(tx, userId);
      return true;
    });
  }

  /** Mails a new confirmation token to an unconfirmed account; silent for any other address. */
  async resendConfirmation(email: string): Promise<void> {
    const user = await repo.findUserByEmail(this.deps.db, email);
    if (!user || user.email_confirmed_at) return;
    await this.mailToken(user.id, user.email, "confirm_email");
  }

  /** Mails a reset token when the address has an account; the caller answers the same either way. */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await repo.findUserByEmail(this.deps.db, email);
    if (!user) return;
    await this.mailToken(user.id, user.email, "reset_password");
  }

  /**
   * Spends a reset token and sets the password; every refresh token of the user is revoked, access tokens issued
   * before now stop working and live sockets are dropped. The mailbox was proven, so the email counts as confirmed.
   */
  async changePassword(token: string, password: string): Promise<boolean> {
    const passwordHash = await hashPassword(password);
    const userId = await this.deps.db.transaction(async (tx) => {
      const id = await repo.consumeEmailToken(tx, hashOpaqueToken(token), "reset_password");
      if (!id) return undefined;
      await repo.updatePassword(tx, id, passwordHash, new Date(this.deps.clock.now()));
      await repo.markEmailConfirmed(tx, id);
      await repo.revokeUserRefreshTokens(tx, id);
      return id;
    });
    if (!userId) return false;
    this.deps.disconnectUser(userId);
    return true;
  }

  private async mailToken(userId: string, email: string, purpose: EmailTokenPurpose): Promise<void> {
    await this.deps.db.transaction((tx) => this.queueTokenMail(tx, userId, email, purpose));
    this.deps.outbox.wake();
  }

  // The token and its mail are written together: a mail is never queued for a token that was rolled back, nor the reverse.
  private async queueTokenMail(tx: Queryable, userId: string, email: string, purpose: EmailTokenPurpose): Promise<void> {
    const { clock, config, outbox } = this.deps;
    const { token, hash } = newOpaqueToken();
    await repo.insertEmailToken(tx, {
      hash,
      userId,
      purpose,
      expiresAt: new Date(clock.now() + config.emailTokenTtl * 1000),
    });
    const mail = composeTokenMail(purpose, token, config.publicUrl, config.emailTokenTtl, config.web.enabled);
    await outbox.enqueue(tx, "mail", { to: email, ...mail });
  }
}

// With the web app on, the links open its /confirm and /reset pages; the token lines stay for other clients.
function composeTokenMail(purpose: EmailTokenPurpose, token: string, publicUrl: string, ttlSeconds: number, webApp: boolean) {
  const hours = Math.max(1, Math.round(ttlSeconds / 3600));
  if (purpose === "confirm_email") {
    return {
      subject: "Confirm your Telegraph email address",
      text: `Welcome to Telegraph!\n\nConfirm your address by opening:\n${publicUrl}/${webApp ? "confirm" : "confirm_email"}?token=${token}\n\nor by sending this token to POST /confirm_email:\nToken: ${token}\n\nIt expires in ${hours} hour(s).\n`,
    };
  }
  return {
    subject: "Reset your Telegraph password",
    text: `Someone asked to reset the password of your Telegraph account.\n\n${webApp ? `Choose a new one by opening:\n${publicUrl}/reset?token=${token}\n\nor send` : "Send"} this token with your new password to POST /change_password:\nToken: ${token}\n\nIt expires in ${hours} hour(s). If it was not you, ignore this mail.\n`,
  };
}
