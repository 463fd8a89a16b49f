import { useEffect, useState } from "preact/hooks";
import { logIn, type LoginResult } from "../../connection/auth.ts";
import { postJson } from "../../connection/http.ts";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { Field } from "../../components/field.tsx";
import { loginNotice } from "../../state/session.ts";
import { Logo } from "../logo.tsx";
import "../auth.css";

type Refusal = Extract<LoginResult, { ok: false }>;

/** Log in with username or email; each refusal is shown as the server gave it. */
export function Login() {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);
  const [wait, setWait] = useState(0);
  const [resendEmail, setResendEmail] = useState("");
  const [resent, setResent] = useState(false);
  const notice = new URLSearchParams(location.search).get("notice");

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setRefusal(null);
    setResent(false);
    loginNotice.value = null;
    const result = await logIn(username.trim(), password);
    setBusy(false);
    if (result.ok) return;
    setRefusal(result);
    if (result.reason === "rate_limited") setWait(result.retryAfter ?? 60);
    if (result.reason === "email_confirmation_require" && username.includes("@")) setResendEmail(username.trim());
  };

  const resend = async () => {
    if (!resendEmail.includes("@")) return;
    await postJson("/resend_confirmation", { email: resendEmail.trim() });
    setResent(true);
  };

  return (
    <main class="auth">
      <div class="auth__card">
        <Logo />
        <h1>Telegraph</h1>
        <p class="auth__lead">Log in to chat with your people.</p>
        {notice === "confirmed" ? <Banner tone="success">Your email is confirmed. You can log in now.</Banner> : null}
        {loginNotice.value === "account_deleted" ? <Banner tone="success">Your account was deleted.</Banner> : null}
        {notice === "password_changed" ? <Banner tone="success">Your password was changed. Log in with the new one.</Banner> : null}
        {refusal?.reason === "invalid_credentials" ? <Banner tone="error">Wrong username or password.</Banner> : null}
        {refusal?.reason === "invalid_input" ? <Banner tone="error">Enter your username or email and your password.</Banner> : null}
        {refusal?.reason === "network" ? <Banner tone="error">The server cannot be reached. Try again in a moment.</Banner> : null}
        {refusal?.reason === "rate_limited" ? (
          <Banner tone="warning">{wait > 0 ? `Too many attempts. Try again in ${wait >= 90 ? `${Math.ceil(wait / 60)} min` : `${wait} s`}.` : "Too many attempts. You can try again now."}</Banner>
        ) : null}
        {refusal?.reason === "email_confirmation_require" ? (
          <Banner tone="warning">
            <span>Your email is not confirmed yet. Follow the link in the mail we sent you.</span>
            {resent ? <span>A new confirmation mail is on its way.</span> : null}
          </Banner>
        ) : null}
        {refusal?.reason === "email_confirmation_require" ? (
          <div>
            {!username.includes("@") ? (
              <Field label="Email" type="email" autocomplete="email" value={resendEmail} onInput={(e) => setResendEmail(e.currentTarget.value)} />
            ) : null}
            <Button variant="secondary" class="auth__submit" onClick={resend} disabled={!resendEmail.includes("@")}>
              Resend confirmation
            </Button>
          </div>
        ) : null}
        <form onSubmit={submit} noValidate>
          <Field label="Username or email" name="username" autocomplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
          <Field label="Password" name="password" type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
          <Button type="submit" class="auth__submit" disabled={busy || wait > 0} busy={busy}>
            Log in
          </Button>
        </form>
        <div class="auth__links">
          <a href="/signup">Create an account</a>
          <a href="/reset">Forgot password?</a>
        </div>
      </div>
    </main>
  );
}
