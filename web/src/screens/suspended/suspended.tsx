import { useEffect, useRef, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { logOut } from "../../connection/auth.ts";
import { resetActions } from "../../connection/actions.ts";
import { disablePush } from "../../connection/push.ts";
import { Logo } from "../logo.tsx";
import "../auth.css";
import "./suspended.css";

/**
 * Shown instead of the app once the server says the account is suspended (at login, on a refresh, or when its socket
 * is dropped or refused): nothing reconnects; Log out clears the session so someone else can log in here.
 */
export function Suspended() {
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // The page changed under the reader: say so by moving focus to what it now is.
  useEffect(() => heading.current?.focus(), []);
  const out = async () => {
    setBusy(true);
    await disablePush().catch(() => undefined);
    await logOut();
    resetActions();
  };
  return (
    <main class="auth">
      <div class="auth__card">
        <Logo />
        <h1 class="suspended__title" ref={heading} tabIndex={-1}>
          This account is suspended
        </h1>
        <p class="auth__lead">A moderator suspended it. While it is suspended you cannot log in, and your posts and stories are hidden from everyone else.</p>
        <Button class="auth__submit" onClick={() => void out()} disabled={busy} busy={busy}>
          Log out
        </Button>
      </div>
    </main>
  );
}
