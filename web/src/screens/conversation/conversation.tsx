import { useLocation } from "preact-iso";
import { useEffect, useMemo, useState } from "preact/hooks";
import { activePartner, deleteMessage, editMessage, loadOlder, loadUser, markSeen, openConversation, sendMessage, sendTyping } from "../../connection/actions.ts";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { MessageBubble } from "../../components/message-bubble.tsx";
import { ReportDialog } from "../../components/report-dialog.tsx";
import { connectionState } from "../../state/connection.ts";
import { conversation } from "../../state/messages.ts";
import { myId } from "../../state/session.ts";
import { typingUntil } from "../../state/typing.ts";
import type { ViewMessage } from "../../state/types.ts";
import { displayName, online, users } from "../../state/users.ts";
import { lastSeen, presenceText, watchPresence } from "../../state/presence.ts";
import { profilePath } from "../shell/views.ts";
import { Composer, type ComposerTarget } from "./composer.tsx";
import { ImageViewer, Notice } from "./conversation-parts.tsx";
import { MessageLog } from "./message-log.tsx";
import { useMessageActions } from "./use-message-actions.ts";
import "./conversation.css";

/** One direct conversation: the partner's header, the messages, the composer. */
export function Conversation({ partnerId }: { partnerId: string }) {
  const conv = conversation(partnerId);
  const me = myId.value;
  const partner = users.value.get(partnerId);
  const name = displayName(partner);
  const { route } = useLocation();
  // The received message being reported, if any.
  const [reporting, setReporting] = useState<string | null>(null);
  const { actions, replyTo, editing, viewing, closeViewer, notice, setNotice, done } = useMessageActions((m, forEveryone) => deleteMessage(m.id, forEveryone), { onReport: (m) => setReporting(m.id) });
  const connected = connectionState.value === "online";

  useEffect(() => {
    void openConversation(partnerId);
    if (!partner) void loadUser(partnerId);
    return () => {
      if (activePartner.value === partnerId) activePartner.value = null;
    };
  }, [partnerId, connected]);
  useEffect(() => watchPresence([partnerId]), [partnerId]);

  const target = useMemo<ComposerTarget>(
    () => ({ send: (content, reply) => sendMessage(partnerId, content, reply), edit: editMessage, typing: () => sendTyping(partnerId) }),
    [partnerId],
  );

  const typing = (typingUntil.value.get(partnerId) ?? 0) > Date.now();
  const isOnline = online.value.get(partnerId) === true;
  const seen = lastSeen.value;
  const status = typing ? "typing…" : isOnline || seen.has(partnerId) ? presenceText(isOnline, seen.get(partnerId)) : partner?.username ? `@${partner.username}` : "";

  return (
    <section class="conversation" aria-label={`Conversation with ${name}`}>
      <header class="conversation__header">
        <Button variant="icon" class="conversation__back" aria-label="Back" onClick={() => route("/")}>
          <Icon name="back" />
        </Button>
        <Avatar id={partnerId} name={name} photo={partner?.photo} size={40} online={isOnline} />
        <div class="conversation__who">
          {/* A deleted account ("Deleted account") has no username, so no profile to link to. */}
          <h2 class="conversation__name">{partner?.username ? <a href={profilePath(partner)}>{name}</a> : name}</h2>
          <span class={`conversation__status ${typing ? "is-typing" : ""}`}>{status}</span>
        </div>
      </header>
      <Notice text={notice} onDismiss={() => setNotice("")} />
      <MessageLog<ViewMessage>
        id={partnerId}
        conv={conv}
        me={me}
        loadOlder={() => loadOlder(partnerId)}
        unseen={(m) => m.from === partnerId && !m.seen_at}
        markSeen={(upTo) => markSeen(partnerId, upTo)}
        renderMessage={(m, _previous, _next, byId) => {
          const quoted = m.reply_to ? byId.get(m.reply_to) : undefined;
          return (
            <MessageBubble
              key={m.id}
              message={m}
              mine={m.from === me}
              quoted={quoted}
              quotedName={m.reply_to ? (quoted?.from === me ? "You" : name) : undefined}
              actions={actions}
            />
          );
        }}
      />
      <Composer
        target={target}
        replyTo={replyTo}
        replyName={replyTo ? (replyTo.from === me ? "yourself" : name) : ""}
        editing={editing}
        onDone={done}
      />
      <ImageViewer message={viewing} onClose={closeViewer} />
      {reporting ? <ReportDialog target={{ kind: "message", id: reporting }} what="message" onClose={() => setReporting(null)} /> : null}
    </section>
  );
}
