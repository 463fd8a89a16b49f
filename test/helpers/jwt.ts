import { SignJWT } from "jose";

/** Signs a token the way another service sharing JWT_SECRET would (`jsonwebtoken.sign(payload, secret)`). */
export function signForeign(secret: string, payload: Record<string, unknown>, options: { iat?: number | false; exp?: number } = {}) {
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: "HS256", typ: "JWT" });
  if (options.iat !== false) jwt.setIssuedAt(options.iat);
  if (options.exp !== undefined) jwt.setExpirationTime(options.exp);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** An unsigned token (`alg: none`). */
export function unsignedToken(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${part({ alg: "none", typ: "JWT" })}.${part(payload)}.`;
}
