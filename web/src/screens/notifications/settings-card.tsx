import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { loadNotificationSettings, updateNotificationSettings } from "../../connection/notifications.ts";
import { disablePush, enablePush, pushState, refreshPush } from "../../connection/push.ts";
import { connectionState } from "../../state/connection.ts";

type Settings = Extract<Awaited<ReturnType<typeof loadNotificationSettings>>, { ok: true }>["value"];
type Key = keyof Settings;

const LABELS: [Key, string][] = [
  ["follow", "New followers"],
  ["follow_request", "Follow requests"],
  ["follow_accepted", "Accepted follow requests"],
  ["like", "Likes of my posts"],
  ["comment", "Comments on my posts"],
  ["reply", "Replies to my comments"],
  ["mention", "Mentions"],
  ["mentions_from_non_followed", "Mentions from people I do not follow"],
  ["push_previews", "Show the sender and a preview in push notifications"],
];

/** What I am told about, and notifications on this device while the app is closed (asked only on a click). */
export function NotificationSettingsCard() {
  const online = connectionState.value === "online";
  const [settings, setSettings] = useState<Settings | null>(null);
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!online) return;
    void refreshPush();
    void loadNotificationSettings().then((got) => got.ok && setSettings(got.value));
  }, [online]);

  const toggle = async (key: Key, value: boolean) => {
    if (!settings) return;
    setSettings({ ...settings, [key]: value });
    const got = await updateNotificationSettings({ [key]: value });
    if (got.ok) setSettings(got.value);
    else {
      setSettings(settings);
      setMessage("That setting could not be saved; try again.");
    }
  };

  const push = pushState.value;
  const switchPush = async () => {
    setBusy(true);
    setMessage("");
    if (push === "on") await disablePush();
    else setMessage((await enablePush()) ?? "Notifications are on for this browser.");
    setBusy(false);
  };

  return (
    <div class="notifs__settings">
      <h3>Notification settings</h3>
      <div class="notifs__push">
        <p class="muted">
          {push === "on"
            ? "This browser shows notifications while Telegraph is closed."
            : push === "denied"
              ? "Notifications are blocked for this site in the browser's settings."
              : push === "unsupported"
                ? "This browser cannot show notifications while Telegraph is closed."
                : "Get notified about messages and activity while Telegraph is closed."}
        </p>
        {push === "on" || push === "off" ? (
          <Button variant="secondary" onClick={() => void switchPush()} disabled={busy || !online} busy={busy}>
            {push === "on" ? "Turn off notifications" : "Enable notifications"}
          </Button>
        ) : null}
      </div>
      {message ? (
        <p class="notifs__message" role="status">
          {message}
        </p>
      ) : null}
      {settings ? (
        <fieldset class="notifs__kinds">
          <legend>Tell me about</legend>
          {LABELS.map(([key, label]) => (
            <label key={key} class="notifs__toggle">
              <input type="checkbox" checked={settings[key]} onChange={(e) => void toggle(key, e.currentTarget.checked)} />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
      ) : null}
    </div>
  );
}
