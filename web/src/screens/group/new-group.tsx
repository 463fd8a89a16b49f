import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { createGroup } from "../../connection/groups.ts";
import { Button } from "../../components/button.tsx";
import { Modal } from "../../components/modal.tsx";
import { PanelHeader } from "./panel-header.tsx";
import { announce } from "../../state/connection.ts";
import type { UserSummary } from "../../state/types.ts";
import { displayName, users } from "../../state/users.ts";
import { PeoplePicker, refusalText } from "./people-picker.tsx";
import "../../components/field.css";
import "./group.css";

/** "New group": a name and the people to add; opens the group once it exists. */
export function NewGroupDialog({ onClose }: { onClose: () => void }) {
  const [title, setTitle] = useState("");
  const [chosen, setChosen] = useState<UserSummary[]>([]);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);
  const { route } = useLocation();

  const submit = async () => {
    const name = title.trim();
    if (!name) return setError("Give the group a name.");
    setBusy(true);
    setError("");
    const got = await createGroup(
      name,
      chosen.map((u) => u.user_id),
    );
    setBusy(false);
    if (!got.ok) return setError(got.error);
    const refused = refusalText(got.value.refused, (id) => displayName(users.value.get(id) ?? chosen.find((u) => u.user_id === id)));
    announce(refused ? `Group created. ${refused}` : "Group created");
    onClose();
    route(`/group/${got.value.id}`);
  };

  return (
    <Modal label="New group" onClose={onClose}>
      <PanelHeader title="New group" onClose={onClose} />
      <form
        class="group-panel__form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label class="field__label" for="new-group-title">
          Group name
        </label>
        <input id="new-group-title" class="text-box" value={title} maxLength={128} data-autofocus onInput={(e) => setTitle(e.currentTarget.value)} />
        <PeoplePicker chosen={chosen} onChange={setChosen} />
        {error ? (
          <p class="group-panel__error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="group-panel__row">
          <Button type="submit" variant="primary" disabled={busy || !title.trim()}>
            Create group
          </Button>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
        </div>
      </form>
    </Modal>
  );
}
