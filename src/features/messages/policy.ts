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
