import type { GroupsService } from "../groups/service.ts";
import type { MessagesService } from "../messages/service.ts";
import type { NotificationsService } from "../notifications/service.ts";
import type { PeopleService } from "../people/service.ts";
import { describeNotification } from "./payload.ts";
import type { MessageFacts, PushFacts } from "./service.ts";

/** The facts a push needs, read through the features' services when the push is due. */
export function pushFactsFrom(services: {
  messages: Pick<MessagesService, "pushFacts">;
  groups: Pick<GroupsService, "pushFacts">;
  people: Pick<PeopleService, "getProfile">;
  notifications: Pick<NotificationsService, "pushFacts">;
  previews(userId: string): Promise<boolean>;
}): PushFacts {
  // The sender as the recipient may see them; undefined (no push) when they are not visible any more (a block).
  const senderName = async (recipientId: string, senderId: string) => {
    const profile = await services.people.getProfile(recipientId, senderId).catch(() => undefined);
    return profile ? `${profile.name} ${profile.family}`.trim() : undefined;
  };
  return {
    async direct(recipientId, messageId): Promise<MessageFacts | undefined> {
      const message = await services.messages.pushFacts(recipientId, messageId);
      const name = message && (await senderName(recipientId, message.sender_id));
      if (!message || !name) return undefined;
      return { kind: "message", seen: message.seen, title: name, text: message.text, hasImage: message.hasImage, url: `/chat/${message.sender_id}` };
    },
    async group(recipientId, groupId, messageId): Promise<MessageFacts | undefined> {
      const message = await services.groups.pushFacts(recipientId, groupId, messageId);
      const name = message && (await senderName(recipientId, message.sender_id));
      if (!message || !name) return undefined;
      return { kind: "message", seen: message.seen, title: `${name} in ${message.title}`, text: message.text, hasImage: message.hasImage, url: `/group/${groupId}` };
    },
    async notification(recipientId, notificationId): Promise<MessageFacts | undefined> {
      const entry = await services.notifications.pushFacts(recipientId, notificationId);
      const described = entry && describeNotification(entry);
      if (!entry || !described) return undefined;
      return { kind: "notification", seen: entry.read, title: described.title, text: described.text, hasImage: false, url: described.url };
    },
    previews: (userId) => services.previews(userId),
  };
}
