import { useState } from "preact/hooks";
import { fieldErrors, postJson } from "../../connection/http.ts";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { Field } from "../../components/field.tsx";
import { Logo } from "../logo.tsx";
import "../auth.css";

/** /reset asks for the email to mail a reset link to; /reset?token=… asks for the new password twice. */
export function Reset() {
  const token = new URLSearchParams(location.search).get("token");
  return token ? <NewPassword token={token} /> : <Forgot />;
}

function Forgot() {
  const [email, setEmail] = useState("");
  const [state, setState] = useState<"idle" | "busy" | "sent" | "invalid" | "error">("idle");
  const submit = async (event: Event) => {
    event.preventDefault();
    setState("busy");
    const answer = await postJson("/reset_password", { email: email.trim() });
    setState(answer.status === 202 || answer.status === 200 ? "sent" : answer.status === 400 ? "invalid" : "error");
  };
  return (
    <main class="auth">
      <div class="auth__card">
        <Logo />
        <h1>Forgot your password?</h1>
        <p class="auth__lead">We will mail you a link to choose a new one.</p>
        {state === "sent" ? <Banner tone="success">If an account has this email, a reset link is on its way.</Banner> : null}
        {state === "error" ? <Banner tone="error">The server cannot be reached. Try again in a moment.</Banner> : null}
        <form onSubmit={submit} noValidate>
          <Field label="Email" type="email" autocomplete="email" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} error={state === "invalid" ? "Enter a valid email address." : undefined} />
          <Button type="submit" class="auth__submit" disabled={state === "busy"}>
            Send reset link
          </Button>
        </form>
        <div class="auth__links">
          <a href="/login">Back to log in</a>
        </div>
      </div>
    </main>
  );
}

function NewPassword({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [errors, setErrors] = useState<{ password?: string; repeat?: string }>({});
  const [state, setState] = useState<"idle" | "busy" | "done" | "invalid" | "error">("idle");
  const submit = async (event: Event) => {
    event.preventDefault();
    if (password.length < 8) return setErrors({ password: "At least 8 characters." });
    if (password !== repeat) return setErrors({ repeat: "The two passwords differ." });
    setErrors({});
    setState("busy");
    const answer = await postJson<{ response?: string }>("/change_password", { token, password });
    if (answer.status === 200) return setState("done");
    if (answer.status === 400 && answer.body.response !== "invalid_token") {
      setErrors({ password: fieldErrors(answer.body)["password"] ?? "This password is not accepted." });
      return setState("idle");
    }
    setState(answer.status === 400 ? "invalid" : "error");
  };
  return (
    <main class="auth">
      <div class="auth__card">
        <Logo />
        <h1>Choose a new password</h1>
        {state === "done" ? (
          <>
            <Banner tone="success">Your password was changed.</Banner>
            <div class="auth__links">
              <a href="/login?notice=password_changed">Go to log in</a>
            </div>
          </>
        ) : (
          <>
            {state === "invalid" ? <Banner tone="error">This link is not valid any more. Ask for a new one.</Banner> : null}
            {state === "error" ? <Banner tone="error">The server cannot be reached. Try again in a moment.</Banner> : null}
            <form onSubmit={submit} noValidate>
              <Field label="New password" type="password" autocomplete="new-password" value={password} onInput={(e) => setPassword(e.currentTarget.value)} error={errors.password} />
              <Field label="Repeat new password" type="password" autocomplete="new-password" value={repeat} onInput={(e) => setRepeat(e.currentTarget.value)} error={errors.repeat} />
              <Button type="submit" class="auth__submit" disabled={state === "busy"}>
                Change password
              </Button>
            </form>
            <div class="auth__links">
              <a href="/reset">Ask for a new link</a>
              <a href="/login">Back to log in</a>
            </div>
          </>
        )}
      </div>
    </main>
  );
}
