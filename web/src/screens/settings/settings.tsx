import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { logOut } from "../../connection/auth.ts";
import { resetActions } from "../../connection/actions.ts";
import { disablePush } from "../../connection/push.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { me, myId } from "../../state/session.ts";
import { DangerZone } from "./delete-account.tsx";
import { MyData } from "./my-data.tsx";
import "./settings.css";

/** The account: who I am, log out here or everywhere, download my data, and (in the danger zone) delete the account. */
export function Settings() {
  const { route } = useLocation();
  const [busy, setBusy] = useState(false);
  const profile = me.value;
  const name = profile ? [profile.name, profile.family].filter(Boolean).join(" ") : "";
  const out = async (everywhere: boolean) => {
    setBusy(true);
    // This browser's pushes must not reach the next person who logs in here.
    await disablePush().catch(() => undefined);
    await logOut(everywhere);
    resetActions();
    route("/login");
  };
  return (
    <section class="settings" aria-labelledby="settings-title">
      <header class="settings__header">
        <Button variant="icon" class="settings__back" aria-label="Back" onClick={() => route("/")}>
          <Icon name="back" />
        </Button>
        <h2 id="settings-title">Settings</h2>
      </header>
      <div class="settings__body">
        <div class="settings__card settings__me">
          <Avatar id={myId.value ?? "me"} name={name || "Me"} photo={profile?.photo} size={72} />
          <div>
            <p class="settings__name">{name || "Me"}</p>
            {profile ? <p class="muted">@{profile.username}</p> : null}
            {profile?.email ? <p class="muted">{profile.email}</p> : null}
          </div>
        </div>
        <nav class="settings__card settings__links" aria-label="Account settings">
          <a class="settings__link" href="/settings/profile">
            <Icon name="edit" />
            <span>
              <span class="settings__link-title">Edit profile</span>
              <span class="muted settings__link-hint">Name, photo, biography, privacy and last seen</span>
            </span>
          </a>
          <a class="settings__link" href="/settings/blocked">
            <Icon name="block" />
            <span>
              <span class="settings__link-title">Blocked users</span>
              <span class="muted settings__link-hint">People who cannot reach you</span>
            </span>
          </a>
        </nav>
        <div class="settings__card">
          <h3>Sessions</h3>
          <p class="muted">Log out on this device, or on every device where you are logged in.</p>
          <div class="settings__actions">
            <Button variant="secondary" onClick={() => void out(false)} disabled={busy}>
              Log out
            </Button>
            <Button variant="danger" onClick={() => void out(true)} disabled={busy}>
              Log out everywhere
            </Button>
          </div>
        </div>
        <MyData />
        <DangerZone />
      </div>
    </section>
  );
}
