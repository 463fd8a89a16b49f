import { useState } from "preact/hooks";
import { fieldErrors, postJson } from "../../connection/http.ts";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { Field } from "../../components/field.tsx";
import { Logo } from "../logo.tsx";
import "../auth.css";

const EMPTY = { name: "", family: "", username: "", email: "", password: "", phone: "" };
type Form = typeof EMPTY;

/** Sign up; the server's field errors show beside the fields, then "check your mail" with a resend button. */
export function Signup() {
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Form, string>>>({});
  const [general, setGeneral] = useState("");
  const [busy, setBusy] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [resent, setResent] = useState(false);

  const set = (key: keyof Form) => (e: Event) => setForm({ ...form, [key]: (e.currentTarget as HTMLInputElement).value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    setGeneral("");
    const body: Record<string, string> = { name: form.name, family: form.family, username: form.username, email: form.email, password: form.password };
    if (form.phone.trim()) body["phone"] = form.phone.trim();
    const answer = await postJson<{ response?: string }>("/register", body);
    setBusy(false);
    if (answer.status === 201) {
      setSentTo(form.email.trim());
      return;
    }
    if (answer.status === 409) {
      if (answer.body.response === "email_exists") setErrors({ email: "An account with this email exists already." });
      else setErrors({ username: "This username is taken." });
      return;
    }
    if (answer.status === 400) {
      const found = fieldErrors(answer.body);
      setErrors(found);
      if (Object.keys(found).length === 0) setGeneral("Please check the form.");
      return;
    }
    setGeneral(answer.status === 429 ? "Too many attempts. Try again later." : "The server cannot be reached. Try again in a moment.");
  };

  const resend = async () => {
    if (!sentTo) return;
    await postJson("/resend_confirmation", { email: sentTo });
    setResent(true);
  };

  if (sentTo) {
    return (
      <main class="auth">
        <div class="auth__card">
          <Logo />
          <h1>Check your mail</h1>
          <p class="auth__lead">We sent a confirmation link to {sentTo}. Open it to finish signing up.</p>
          {resent ? <Banner tone="success">A new confirmation mail is on its way.</Banner> : null}
          <Button variant="secondary" class="auth__submit" onClick={resend}>
            Resend confirmation
          </Button>
          <div class="auth__links">
            <a href="/login">Back to log in</a>
          </div>
        </div>
      </main>
    );
  }

  return (
    <main class="auth">
      <div class="auth__card">
        <Logo />
        <h1>Create your account</h1>
        <p class="auth__lead">It takes a minute.</p>
        {general ? <Banner tone="error">{general}</Banner> : null}
        <form onSubmit={submit} noValidate>
          <div class="auth__row">
            <Field label="Name" autocomplete="given-name" required value={form.name} onInput={set("name")} error={errors.name} />
            <Field label="Family name" autocomplete="family-name" value={form.family} onInput={set("family")} error={errors.family} />
          </div>
          <Field label="Username" autocomplete="username" required value={form.username} onInput={set("username")} error={errors.username} />
          <Field label="Email" type="email" autocomplete="email" required value={form.email} onInput={set("email")} error={errors.email} />
          <Field label="Password" type="password" autocomplete="new-password" required value={form.password} onInput={set("password")} error={errors.password} hint="At least 8 characters." />
          <Field label="Phone (optional)" type="tel" autocomplete="tel" value={form.phone} onInput={set("phone")} error={errors.phone} />
          <Button type="submit" class="auth__submit" disabled={busy} busy={busy}>
            Sign up
          </Button>
        </form>
        <div class="auth__links">
          <a href="/login">I have an account</a>
        </div>
      </div>
    </main>
  );
}
