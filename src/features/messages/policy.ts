/** Who may do what with direct messages. Pure predicates over facts already loaded. */

export interface MessageFacts {
  sender_id: string;
  recipient_id: string;
}

/** What the sender knows of the recipient: whether they exist, and the blocks either way. */
export interface RecipientRelation {
  exists: boolean;
  i_blocked: boolean;
  they_blocked: boolean;
  /** When the first of the blocks between the two began, if any. */
  blocked_since: Date | null;
}

/**
 * A message may be sent to an existing user other than the sender, unless either blocked the other. A recipient who
 * blocked the sender is "unknown" to them, like a user who does not exist, so a refusal never reveals the block.
 */
export function canMessage(senderId: string, recipientId: string, relation: RecipientRelation):
  | "ok"
  | "self"
  | "unknown"
  | "blocked" {
  if (senderId === recipientId) return "self";
  if (!relation.exists || relation.they_blocked) return "unknown";
  if (relation.i_blocked) return "blocked";
  return "ok";
}

/**
 * A read receipt does not cross a block: a message read after either of the two blocked the other shows, to its
 * sender, as not seen (the reader's own unread count still clears).
 */
export function visibleSeenAt(viewerId: string, message: MessageFacts & { seen_at: Date | null }, blockedSince: Date | null): Date | null {
  if (message.seen_at === null || blockedSince === null || message.sender_id !== viewerId) return message.seen_at;
  return message.seen_at > blockedSince ? null : message.seen_at;
}

/** The two people of a conversation see its messages; nobody else knows they exist. */
export function isParticipant(userId: string, message: MessageFacts): boolean {
  return message.sender_id === userId || message.recipient_id === userId;
}

/** Only the sender edits, and not while either of the two blocks the other (an edit reaches the other person). */
export function canEdit(userId: string, message: MessageFacts, relation: { blocked: boolean }): boolean {
  return message.sender_id === userId && !relation.blocked;
}

export function canDeleteForEveryone(userId: string, message: MessageFacts): boolean {
  return message.sender_id === userId;
}
