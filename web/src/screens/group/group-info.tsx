import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { loadGroupInfo, manage } from "../../connection/groups.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { Modal } from "../../components/modal.tsx";
import { PanelHeader } from "./panel-header.tsx";
import { groupChats, groupInfos } from "../../state/groups.ts";
import { myId } from "../../state/session.ts";
import type { GroupMember, UserSummary } from "../../state/types.ts";
import { displayName, users } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import { PeoplePicker, refusalText } from "./people-picker.tsx";

type Role = GroupMember["role"];

/** Mirrors the server's rule, to offer only what it will allow (it decides anyway). */
function mayRemove(actor: Role | undefined, target: Role): boolean {
  if (target === "owner") return false;
  return actor === "owner" || (actor === "admin" && target === "member");
}

const ROLE_LABEL: Record<Role, string> = { owner: "owner", admin: "admin", member: "" };

/** The group's members with their roles; admins add and remove, the owner names admins and hands over; anyone leaves. */
export function GroupInfoPanel({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const info = groupInfos.value.get(groupId);
  const group = groupChats.value.get(groupId)?.group ?? info;
  const me = myId.value;
  const { route } = useLocation();
  const [adding, setAdding] = useState<UserSummary[] | null>(null);
  const [title, setTitle] = useState(group?.title ?? "");
  const [message, setMessage] = useState("");
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState<"leave" | "delete" | null>(null);

  useEffect(() => void loadGroupInfo(groupId), [groupId]);

  const role = group?.role;
  const isAdmin = role === "owner" || role === "admin";
  const nameOf = (id: string) => displayName(users.value.get(id));
  const run = async (job: () => Promise<string | null>, done?: string) => {
    setBusy(true);
    setMessage("");
    const failed = await job();
    setBusy(false);
    setMessage(failed ?? done ?? "");
    return failed === null;
  };

  const add = async () => {
    if (!adding?.length) return;
    setBusy(true);
    const got = await manage.add(
      groupId,
      adding.map((u) => u.user_id),
    );
    setBusy(false);
    if (!got.ok) return setMessage(got.error);
    setAdding(null);
    setMessage(refusalText(got.value.refused, nameOf) || `Added ${got.value.added.length === 1 ? "1 person" : `${got.value.added.length} people`}.`);
  };

  const leave = async (kind: "leave" | "delete") => {
    const ok = await run(() => (kind === "leave" ? manage.leave(groupId) : manage.remove_group(groupId)));
    if (ok) {
      onClose();
      route("/");
    }
  };

  const members = info?.members ?? [];
  const alone = (group?.members_count ?? 0) <= 1;
  return (
    <Modal label="Group info" onClose={onClose}>
      <PanelHeader title="Group info" onClose={onClose} />
      <div class="group-panel__summary">
        <Avatar id={groupId} name={group?.title ?? "Group"} photo={group?.photo} size={64} />
        {isAdmin ? (
          <form
            class="group-panel__rename"
            onSubmit={(e) => {
              e.preventDefault();
              const t = title.trim();
              if (t && t !== group?.title) void run(() => manage.rename(groupId, t), "Saved.");
            }}
          >
            <label class="field__label" for="group-title">
              Group name
            </label>
            <input id="group-title" class="text-box" value={title} maxLength={128} onInput={(e) => setTitle(e.currentTarget.value)} />
            <Button type="submit" disabled={busy || !title.trim() || title.trim() === group?.title}>
              Save
            </Button>
          </form>
        ) : (
          <p class="group-panel__name">{group?.title}</p>
        )}
        <p class="group-panel__muted">{group ? `${group.members_count} ${group.members_count === 1 ? "member" : "members"}` : ""}</p>
      </div>
      {message ? (
        <p class="group-panel__message" role="status">
          {message}
        </p>
      ) : null}
      {isAdmin ? (
        adding ? (
          <div class="group-panel__add">
            <PeoplePicker chosen={adding} onChange={setAdding} exclude={members.map((m) => m.user_id)} />
            <div class="group-panel__row">
              <Button variant="primary" disabled={busy || adding.length === 0} onClick={() => void add()}>
                Add to group
              </Button>
              <Button variant="secondary" onClick={() => setAdding(null)}>
                Cancel
              </Button>
            </div>
          </div>
        ) : (
          <Button variant="secondary" onClick={() => setAdding([])}>
            <Icon name="plus" /> Add members
          </Button>
        )
      ) : null}
      <ul class="group-panel__list" aria-label="Members">
        {members.map((m) => {
          const name = displayName(m);
          const self = m.user_id === me;
          return (
            <li key={m.user_id} class="group-panel__person" aria-label={`${name}${ROLE_LABEL[m.role] ? `, ${ROLE_LABEL[m.role]}` : ""}`}>
              <Avatar id={m.user_id} name={name} photo={m.photo} size={36} />
              <a class="group-panel__person-name" href={profilePath(m)} onClick={onClose}>
                {self ? "You" : name}
              </a>
              {ROLE_LABEL[m.role] ? <span class="group-panel__role">{ROLE_LABEL[m.role]}</span> : null}
              {!self ? (
                <span class="group-panel__actions">
                  {role === "owner" ? (
                    <button type="button" disabled={busy} onClick={() => void run(() => manage.setRole(groupId, m.user_id, m.role === "admin" ? "member" : "admin"))}>
                      {m.role === "admin" ? "Dismiss admin" : "Make admin"}
                    </button>
                  ) : null}
                  {role === "owner" ? (
                    <button type="button" disabled={busy} onClick={() => void run(() => manage.transfer(groupId, m.user_id), `${name} is now the owner.`)}>
                      Make owner
                    </button>
                  ) : null}
                  {mayRemove(role, m.role) ? (
                    <button type="button" class="danger" disabled={busy} aria-label={`Remove ${name}`} onClick={() => void run(() => manage.remove(groupId, m.user_id), `${name} was removed.`)}>
                      Remove
                    </button>
                  ) : null}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <div class="group-panel__row">
        {role !== "owner" || alone ? (
          confirming === "leave" ? (
            <Button variant="danger" disabled={busy} onClick={() => void leave("leave")}>
              Leave for good
            </Button>
          ) : (
            <Button variant="danger" onClick={() => setConfirming("leave")}>
              Leave group
            </Button>
          )
        ) : (
          <p class="group-panel__muted">Make someone else the owner to leave.</p>
        )}
        {role === "owner" ? (
          confirming === "delete" ? (
            <Button variant="danger" disabled={busy} onClick={() => void leave("delete")}>
              Delete for everyone
            </Button>
          ) : (
            <Button variant="danger" onClick={() => setConfirming("delete")}>
              Delete group
            </Button>
          )
        ) : null}
      </div>
    </Modal>
  );
}
