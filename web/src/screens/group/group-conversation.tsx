import { useLocation } from "preact-iso";
import { useEffect, useMemo, useState } from "preact/hooks";
import { sendGroupMessage } from "../../connection/actions.ts";
import { activeGroup, deleteGroupMessage, editGroupMessage, loadOlderGroup, markGroupSeen, openGroup, sendGroupTyping, typingKey } from "../../connection/groups.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { MessageBubble } from "../../components/message-bubble.tsx";
import { connectionState } from "../../state/connection.ts";
import { goneGroups, groupChats, groupConversations, groupInfos, othersMark } from "../../state/groups.ts";
import { myId } from "../../state/session.ts";
import { typingUntil } from "../../state/typing.ts";
import type { GroupViewMessage } from "../../state/types.ts";
import { displayName, users } from "../../state/users.ts";
import { Composer, type ComposerTarget } from "../conversation/composer.tsx";
import { ImageViewer, Notice } from "../conversation/conversation-parts.tsx";
import { MessageLog } from "../conversation/message-log.tsx";
import { useMessageActions } from "../conversation/use-message-actions.ts";
import { profilePath } from "../shell/views.ts";
import { GroupInfoPanel } from "./group-info.tsx";
import { Readers } from "./readers.tsx";
import "../conversation/conversation.css";
import "./group.css";

/** "Ann is typing…", "Ann and Ben are typing…", "3 people are typing…". */
function typingText(names: string[]): string {
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

/** One group conversation: the group's header, members' messages with their names and photos, the composer. */
export function GroupConversation({ groupId }: { groupId: string }) {
  const conv = groupConversations.get(groupId);
  const entry = groupChats.value.get(groupId);
  const info = groupInfos.value.get(groupId);
  const gone = goneGroups.value.has(groupId);
  const group = entry?.group ?? info;
  const me = myId.value;
  const { route } = useLocation();
  const [readersOf, setReadersOf] = useState<string | null>(null);
  const [showInfo, setShowInfo] = useState(false);
  const { actions, replyTo, editing, viewing, closeViewer, notice, setNotice, done } = useMessageActions(
    (m, forEveryone) => deleteGroupMessage(groupId, m.id, forEveryone),
    { onSeenBy: (m) => setReadersOf(m.id) },
  );
  const connected = connectionState.value === "online";

  useEffect(() => {
    if (!gone) void openGroup(groupId);
    return () => {
      if (activeGroup.value === groupId) activeGroup.value = null;
    };
  }, [groupId, connected, gone]);

  const title = group?.title ?? "Group";
  const isAdmin = group?.role === "owner" || group?.role === "admin";
  const seenUpTo = othersMark(info, me);
  const myMark = info?.members.find((m) => m.user_id === me)?.seen_up_to ?? "";
  const nameOf = (id: string) => (id === me ? "You" : displayName(users.value.get(id)));

  const now = Date.now();
  const typers = (info?.members ?? []).filter((m) => m.user_id !== me && (typingUntil.value.get(typingKey(groupId, m.user_id)) ?? 0) > now).map((m) => m.name);
  const count = group?.members_count ?? 0;
  const status = typers.length ? typingText(typers) : `${count} ${count === 1 ? "member" : "members"}`;

  const target = useMemo<ComposerTarget>(
    () => ({ send: (content, reply) => sendGroupMessage(groupId, content, reply), edit: editGroupMessage, typing: () => sendGroupTyping(groupId) }),
    [groupId],
  );

  if (gone) {
    return (
      <section class="conversation" aria-label={title}>
        <div class="group__gone">
          <p>You are no longer a member of this group.</p>
          <Button variant="secondary" onClick={() => route("/")}>
            Back to chats
          </Button>
        </div>
      </section>
    );
  }

  return (
    <section class="conversation" aria-label={`Group ${title}`}>
      <header class="conversation__header">
        <Button variant="icon" class="conversation__back" aria-label="Back" onClick={() => route("/")}>
          <Icon name="back" />
        </Button>
        <button type="button" class="group__header-button" aria-label={`Group info: ${title}`} onClick={() => setShowInfo(true)}>
          <Avatar id={groupId} name={title} photo={group?.photo} size={40} />
          <span class="conversation__who">
            <span class="conversation__name">{title}</span>
            <span class={`conversation__status ${typers.length ? "is-typing" : ""}`}>{status}</span>
          </span>
        </button>
      </header>
      <Notice text={notice} onDismiss={() => setNotice("")} />
      <MessageLog<GroupViewMessage>
        id={groupId}
        conv={conv}
        me={me}
        loadOlder={() => loadOlderGroup(groupId)}
        unseen={(m) => m.from !== me && m.id > myMark}
        markSeen={(upTo) => markGroupSeen(groupId, upTo)}
        renderMessage={(m, previous, next, byId) => {
          const mine = m.from === me;
          const quoted = m.reply_to ? byId.get(m.reply_to) : undefined;
          const author = users.value.get(m.from);
          const sender = mine
            ? undefined
            : {
                id: m.from,
                name: displayName(author),
                photo: author?.photo ?? null,
                href: author ? profilePath(author) : `/user/${encodeURIComponent(m.from)}`,
                showName: previous?.from !== m.from,
                showPhoto: next?.from !== m.from,
              };
          // My message shows as seen once any other member's read mark has reached it.
          const shown = mine && !m.local ? { ...m, seen_at: m.id <= seenUpTo ? m.sent_at : null } : m;
          return (
            <MessageBubble
              key={m.id}
              message={shown}
              mine={mine}
              quoted={quoted}
              quotedName={quoted ? nameOf(quoted.from) : undefined}
              actions={actions}
              sender={sender}
              canDeleteForEveryone={mine || isAdmin}
            />
          );
        }}
      />
      <Composer
        target={target}
        replyTo={replyTo}
        replyName={replyTo ? (replyTo.from === me ? "yourself" : nameOf(replyTo.from)) : ""}
        editing={editing}
        onDone={done}
      />
      <ImageViewer message={viewing} onClose={closeViewer} />
      {readersOf ? <Readers messageId={readersOf} onClose={() => setReadersOf(null)} /> : null}
      {showInfo ? <GroupInfoPanel groupId={groupId} onClose={() => setShowInfo(false)} /> : null}
    </section>
  );
}
