import { useEffect, useState } from "preact/hooks";
import { postJson } from "../../connection/http.ts";
import { Banner } from "../../components/banner.tsx";
import { Logo } from "../logo.tsx";
import "../auth.css";

/** /confirm?token=…: confirms the email and leads to login. */
export function Confirm() {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const [state, setState] = useState<"working" | "ok" | "invalid" | "error">(token ? "working" : "invalid");
  useEffect(() => {
    if (!token) return;
    let live = true;
    void postJson("/confirm_email", { token }).then((answer) => {
      if (!live) return;
      setState(answer.status === 200 ? "ok" : answer.status === 400 ? "invalid" : "error");
    });
    return () => {
      live = false;
    };
  }, [token]);
  return (
    <main class="auth">
      <div class="auth__card">
        <Logo />
        <h1>Confirm your email</h1>
        {state === "working" ? <p class="auth__lead" role="status">Confirming…</p> : null}
        {state === "ok" ? <Banner tone="success">Your email is confirmed.</Banner> : null}
        {state === "invalid" ? <Banner tone="error">This link is not valid any more. Log in to get a new one.</Banner> : null}
        {state === "error" ? <Banner tone="error">The server cannot be reached. Reload the page to try again.</Banner> : null}
        <div class="auth__links">
          <a href={state === "ok" ? "/login?notice=confirmed" : "/login"}>Go to log in</a>
        </div>
      </div>
    </main>
  );
}
