import { useEffect, useState } from "preact/hooks";
import { Banner } from "../../components/banner.tsx";
import { onConnected } from "../../connection/pushes.ts";
import { currentClient } from "../../connection/socket.ts";

/** Private account on or off, asked and changed at once (`getPublicityStatus` / `togglePublicityStatus`). */
export function PrivacySwitch() {
  const [isPrivate, setPrivate] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);

  useEffect(() => {
    let live = true;
    const load = () => {
      const client = currentClient();
      if (!client?.socket.connected) return;
      client.api.getPublicityStatus().then(
        (s) => live && setPrivate(s.isPrivate),
        () => undefined,
      );
    };
    load();
    const stop = onConnected(load);
    return () => {
      live = false;
      stop();
    };
  }, []);

  const toggle = async () => {
    const client = currentClient();
    if (!client?.socket.connected || isPrivate === null) return;
    setBusy(true);
    setNotice(null);
    try {
      const answer = await client.api.togglePublicityStatus();
      setPrivate(answer.isPrivate);
      setNotice({
        tone: "success",
        text: answer.isPrivate
          ? "Your account is private: new followers need your approval."
          : "Your account is public: pending follow requests were accepted.",
      });
    } catch {
      setNotice({ tone: "error", text: "The setting could not be changed. Try again." });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="settings__card">
      <div class="edit-profile__switch-row">
        <span class="edit-profile__switch-text">
          <span id="private-label" class="edit-profile__switch-label">
            Private account
          </span>
          <span id="private-hint" class="field__hint">
            {isPrivate
              ? "Only approved followers see your posts and stories. Making the account public accepts every pending follow request."
              : "Anyone can follow you and see your posts."}
          </span>
        </span>
        <button
          type="button"
          role="switch"
          class="edit-profile__switch"
          aria-checked={isPrivate === true}
          aria-labelledby="private-label"
          aria-describedby="private-hint"
          disabled={isPrivate === null || busy}
          onClick={() => void toggle()}
        >
          <span class="edit-profile__switch-knob" />
        </button>
      </div>
      {notice ? <Banner tone={notice.tone}>{notice.text}</Banner> : null}
    </div>
  );
}
