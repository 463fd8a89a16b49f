import { useLocation } from "preact-iso";
import { useEffect, useId, useState } from "preact/hooks";
import { Banner } from "../../components/banner.tsx";
import { Button } from "../../components/button.tsx";
import { Field } from "../../components/field.tsx";
import { Icon } from "../../components/icons.tsx";
import { onConnected } from "../../connection/pushes.ts";
import { currentClient } from "../../connection/socket.ts";
import { me, myId } from "../../state/session.ts";
import { rememberUsers } from "../../state/users.ts";
import { PhotoPicker, type PhotoChoice } from "./photo-picker.tsx";
import { PrivacySwitch } from "./privacy-switch.tsx";
import { changedFields, checkFields, LIMITS, serverFieldErrors, type LastSeenVisibility, type ProfileFields } from "./profile-form.ts";
import "./settings.css";
import "./edit-profile.css";

interface Saved extends ProfileFields {
  username: string;
  photo: string | null;
}

let maxBytes: Promise<number | null> | null = null;
/** The server's upload limit (`GET /limits`), asked once. */
function mediaMaxBytes(): Promise<number | null> {
  maxBytes ??= fetch("/limits", { headers: { accept: "application/json" } })
    .then((r) => (r.ok ? (r.json() as Promise<{ media_max_bytes?: number }>) : {}))
    .then((l) => (l as { media_max_bytes?: number }).media_max_bytes ?? null)
    .catch(() => {
      maxBytes = null;
      return null;
    });
  return maxBytes;
}

const VISIBILITY: { value: LastSeenVisibility; label: string }[] = [
  { value: "everyone", label: "Everyone" },
  { value: "followers", label: "My followers" },
  { value: "nobody", label: "Nobody" },
];

function TextArea({ label, value, error, max, onInput }: { label: string; value: string; error: string | undefined; max: number; onInput: (v: string) => void }) {
  const id = `t-${useId()}`;
  return (
    <div class={`field ${error ? "field--invalid" : ""}`}>
      <label class="field__label" for={id}>
        {label}
      </label>
      <textarea
        id={id}
        class="field__input edit-profile__textarea"
        rows={4}
        value={value}
        aria-invalid={error ? "true" : undefined}
        aria-describedby={`${id}-count${error ? ` ${id}-error` : ""}`}
        onInput={(e) => onInput(e.currentTarget.value)}
      />
      <p class="field__hint" id={`${id}-count`}>
        {value.length} / {max}
      </p>
      {error ? (
        <p class="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** My name, family, biography, photo, who sees my last seen, and whether the account is private. */
export function EditProfile() {
  const { route } = useLocation();
  const [saved, setSaved] = useState<Saved | null>(null);
  const [draft, setDraft] = useState<ProfileFields | null>(null);
  const [photo, setPhoto] = useState<PhotoChoice>({ kind: "keep" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<{ tone: "success" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [limit, setLimit] = useState<number | null>(null);
  const userId = myId.value;

  useEffect(() => {
    let live = true;
    void mediaMaxBytes().then((n) => live && setLimit(n));
    const load = () => {
      const client = currentClient();
      if (!client?.socket.connected || !userId) return;
      client.api.receiveUserProfile(userId).then(
        (p) => {
          if (!live) return;
          const fields = { name: p.name, family: p.family, biography: p.biography, last_seen_visibility: p.last_seen_visibility ?? "everyone" };
          setSaved({ ...fields, username: p.username, photo: p.photo });
          setDraft((d) => d ?? fields);
        },
        () => live && setNotice({ tone: "error", text: "Your profile could not be loaded." }),
      );
    };
    load();
    const stop = onConnected(load);
    return () => {
      live = false;
      stop();
    };
  }, [userId]);

  const set = (patch: Partial<ProfileFields>) => {
    setDraft((d) => (d ? { ...d, ...patch } : d));
    setErrors((e) => {
      const next = { ...e };
      for (const key of Object.keys(patch)) delete next[key];
      return next;
    });
  };

  const changes = saved && draft ? changedFields(saved, draft) : {};
  const dirty = Object.keys(changes).length > 0 || photo.kind !== "keep";

  const save = async (event: Event) => {
    event.preventDefault();
    if (!saved || !draft || !userId) return;
    const found = checkFields(draft);
    setErrors(found);
    setNotice(null);
    if (Object.keys(found).length) return;
    const client = currentClient();
    if (!client?.socket.connected) return setNotice({ tone: "error", text: "Not connected. Try again in a moment." });
    setBusy(true);
    try {
      const photoValue = photo.kind === "new" ? await photo.file.arrayBuffer() : photo.kind === "remove" ? null : undefined;
      const p = await client.api.updateProfile({ ...changes, ...(photoValue !== undefined ? { photo: photoValue } : {}) });
      const fields = { name: p.name, family: p.family, biography: p.biography, last_seen_visibility: p.last_seen_visibility ?? draft.last_seen_visibility };
      setSaved({ ...fields, username: p.username, photo: p.photo });
      setDraft(fields);
      setPhoto({ kind: "keep" });
      me.value = { ...(me.value ?? {}), name: p.name, family: p.family, username: p.username, photo: p.photo };
      rememberUsers([{ user_id: p.user_id, name: p.name, family: p.family, username: p.username, photo: p.photo }]);
      setNotice({ tone: "success", text: "Profile saved." });
    } catch (err) {
      const { code = "internal", message = "" } = err as { code?: string; message?: string };
      const mapped = serverFieldErrors(code, message, photo.kind === "new");
      setErrors(mapped.fields);
      setNotice(mapped.general ? { tone: "error", text: mapped.general } : { tone: "error", text: "Some fields need a change; see below." });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings edit-profile" aria-labelledby="edit-profile-title">
      <header class="settings__header">
        <Button variant="icon" class="settings__back" aria-label="Back to settings" onClick={() => route("/settings")}>
          <Icon name="back" />
        </Button>
        <h2 id="edit-profile-title">Edit profile</h2>
      </header>
      <div class="settings__body">
        {notice && !saved ? <Banner tone={notice.tone}>{notice.text}</Banner> : null}
        {!saved || !draft || !userId ? (
          <p class="muted" role="status">
            Loading your profile…
          </p>
        ) : (
          <>
            <form class="settings__card" onSubmit={(e) => void save(e)} noValidate>
              <PhotoPicker
                id={userId}
                name={[draft.name, draft.family].filter(Boolean).join(" ")}
                stored={saved.photo}
                choice={photo}
                onChoice={(c) => {
                  setPhoto(c);
                  setErrors(({ photo: _dropped, ...rest }) => rest);
                }}
                error={errors["photo"]}
                maxBytes={limit}
              />
              <Field label="Name" value={draft.name} maxLength={LIMITS.name} autocomplete="given-name" required error={errors["name"]} onInput={(e) => set({ name: e.currentTarget.value })} />
              <Field label="Family name" value={draft.family} maxLength={LIMITS.family} autocomplete="family-name" error={errors["family"]} onInput={(e) => set({ family: e.currentTarget.value })} />
              <TextArea label="Biography" value={draft.biography} max={LIMITS.biography} error={errors["biography"]} onInput={(v) => set({ biography: v })} />
              <fieldset class="edit-profile__choices" aria-describedby="last-seen-hint">
                <legend class="field__label">Who can see my last seen and online status</legend>
                {VISIBILITY.map((v) => (
                  <label key={v.value} class="edit-profile__choice">
                    <input type="radio" name="last-seen" value={v.value} checked={draft.last_seen_visibility === v.value} onChange={() => set({ last_seen_visibility: v.value })} />
                    {v.label}
                  </label>
                ))}
                <p id="last-seen-hint" class="field__hint">
                  If you hide yours, you do not see other people’s either.
                </p>
                {errors["last_seen_visibility"] ? <p class="field__error">{errors["last_seen_visibility"]}</p> : null}
              </fieldset>
              <div class="settings__actions">
                <Button type="submit" disabled={busy || !dirty} busy={busy}>
                  {busy ? "Saving…" : "Save"}
                </Button>
              </div>
              {notice ? <Banner tone={notice.tone}>{notice.text}</Banner> : null}
            </form>
            <PrivacySwitch />
          </>
        )}
      </div>
    </section>
  );
}
