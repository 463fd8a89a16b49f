import { useEffect, useRef, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";

export type PhotoChoice = { kind: "keep" } | { kind: "new"; file: File } | { kind: "remove" };

const SIZE = 96;

/** The photo: what the server stores (scaled), a preview of a picked file, or initials; pick, or remove. */
export function PhotoPicker({
  id,
  name,
  stored,
  choice,
  onChoice,
  error,
  maxBytes,
}: {
  id: string;
  name: string;
  stored: string | null;
  choice: PhotoChoice;
  onChoice: (choice: PhotoChoice) => void;
  error: string | undefined;
  maxBytes: number | null;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [preview, setPreview] = useState<string | null>(null);
  const [localError, setLocalError] = useState<string | null>(null);
  const file = choice.kind === "new" ? choice.file : null;

  useEffect(() => {
    if (!file) return setPreview(null);
    const url = URL.createObjectURL(file);
    setPreview(url);
    return () => URL.revokeObjectURL(url);
  }, [file]);

  const pick = (f: File | undefined) => {
    if (!f) return;
    if (!f.type.startsWith("image/")) return setLocalError("Choose an image file.");
    if (maxBytes && f.size > maxBytes) return setLocalError(`This photo is too large (at most ${Math.floor(maxBytes / 1_048_576)} MB).`);
    setLocalError(null);
    onChoice({ kind: "new", file: f });
  };

  const shown = preview ?? (choice.kind === "remove" ? null : stored);
  const message = localError ?? error;
  return (
    <fieldset class="edit-profile__photo" aria-describedby={message ? "photo-error" : "photo-state"}>
      <legend class="field__label">Photo</legend>
      <div class="edit-profile__photo-row">
        {shown ? (
          <img
            class="edit-profile__photo-img"
            src={shown}
            alt={preview ? "Preview of the new photo" : "Your photo"}
            width={SIZE}
            height={SIZE}
            loading="lazy"
            onError={() => {
              if (!preview) return;
              setLocalError("This file cannot be read as an image.");
              onChoice({ kind: "keep" });
            }}
          />
        ) : (
          <Avatar id={id} name={name || "?"} size={SIZE} />
        )}
        <div class="edit-profile__photo-actions">
          <input
            ref={input}
            id="photo-file"
            hidden
            type="file"
            accept="image/png,image/jpeg,image/webp,image/gif"
            onChange={(e) => {
              pick(e.currentTarget.files?.[0]);
              e.currentTarget.value = "";
            }}
          />
          <Button variant="secondary" onClick={() => input.current?.click()}>
            <Icon name="image" /> {shown ? "Change photo" : "Choose photo"}
          </Button>
          {choice.kind !== "keep" ? (
            <Button variant="ghost" onClick={() => onChoice({ kind: "keep" })}>
              Undo
            </Button>
          ) : stored ? (
            <Button variant="ghost" onClick={() => onChoice({ kind: "remove" })}>
              Remove photo
            </Button>
          ) : null}
          <p id="photo-state" class="field__hint">
            {choice.kind === "new" ? "New photo, saved with Save." : choice.kind === "remove" ? "The photo will be removed when you save." : "PNG, JPEG, WebP or GIF."}
          </p>
        </div>
      </div>
      {message ? (
        <p class="field__error" id="photo-error" role="alert">
          {message}
        </p>
      ) : null}
    </fieldset>
  );
}
