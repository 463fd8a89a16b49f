import { useState } from "preact/hooks";
import { retrySend } from "../../connection/actions.ts";
import type { MessageActions } from "../../components/message-bubble.tsx";
import type { BubbleMessage } from "../../state/types.ts";
import { jumpToMessage } from "./message-log.tsx";

/**
 * What a conversation (direct or group) keeps about the message being replied to, edited or viewed, and the actions
 * of its bubbles. `remove` deletes on the server and answers null or the error's text.
 */
export function useMessageActions(remove: (m: BubbleMessage, forEveryone: boolean) => Promise<string | null>, extra: Partial<MessageActions> = {}) {
  const [replyTo, setReplyTo] = useState<BubbleMessage | null>(null);
  const [editing, setEditing] = useState<BubbleMessage | null>(null);
  const [viewing, setViewing] = useState<BubbleMessage | null>(null);
  const [notice, setNotice] = useState("");
  const actions: MessageActions = {
    onReply: (m) => {
      setEditing(null);
      setReplyTo(m);
    },
    onEdit: (m) => {
      setReplyTo(null);
      setEditing(m);
    },
    onDelete: (m, forEveryone) => {
      void remove(m, forEveryone).then((failed) => failed && setNotice(failed));
    },
    onOpenImage: setViewing,
    onJumpTo: (id) => jumpToMessage(id) || setNotice("The original message is further back."),
    onRetry: (m) => m.client_id && retrySend(m.client_id),
    ...extra,
  };
  const done = () => {
    setReplyTo(null);
    setEditing(null);
  };
  return { actions, replyTo, editing, viewing, closeViewer: () => setViewing(null), notice, setNotice, done };
}
