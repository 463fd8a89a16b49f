import { hash, verify } from "@node-rs/argon2";

// @node-rs/argon2 defaults to Argon2id with OWASP's recommended memory and time costs.
export const hashPassword = (password: string): Promise<string> => hash(password);

// Verifying against this when the user does not exist makes "unknown user" take as long as "wrong password".
const DUMMY_HASH = hash("telegraph-dummy-password");

/** Checks a password; with no stored hash it still spends the same time and answers false. */
export async function verifyPassword(storedHash: string | undefined, password: string): Promise<boolean> {
  if (storedHash === undefined) {
    await verify(await DUMMY_HASH, password).catch(() => false);
    return false;
  }
  return verify(storedHash, password).catch(() => false);
}
