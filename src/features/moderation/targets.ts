import type { Comment, Tweet } from "../tweets/presenter.ts";
import type { Message } from "../messages/presenter.ts";
import type { Profile } from "../people/presenter.ts";
import type { Story } from "../stories/presenter.ts";
import { AppError } from "../../shared/errors.ts";
import type { StoredSnapshot, TargetKind } from "./presenter.ts";

/** What reports need of the features that own the content: visibility as the reporter has it, and deletion. */
export interface TargetServices {
  people: { getProfile(viewerId: string, userId: string): Promise<Profile> };
  tweets: { one(viewerId: string, tweetId: string): Promise<Tweet>; remove(tweetId: string): Promise<boolean> };
  comments: { one(viewerId: string, commentId: string): Promise<Comment>; remove(commentId: string): Promise<boolean> };
  stories: { one(viewerId: string, storyId: string): Promise<{ story: Story; imageId: string }>; remove(storyId: string): Promise<boolean> };
  messages: { received(viewerId: string, messageId: string): Promise<Message>; remove(messageId: string): Promise<boolean> };
}

export interface Snapshot {
  authorId: string;
  stored: StoredSnapshot;
}

type Summary = { user_id: string; username: string; name: string };
const author = (u: Summary) => ({ user_id: u.user_id, username: u.username, name: u.name });

/**
 * Copies what the reporter sees of a target, through the owning feature's own visibility rules (`not_found` for what
 * they may not see; a direct message only by its recipient).
 */
export async function takeSnapshot(services: TargetServices, viewerId: string, kind: TargetKind, id: string): Promise<Snapshot> {
  switch (kind) {
    case "user": {
      const profile = await services.people.getProfile(viewerId, id);
      if (profile.user_id === viewerId) throw new AppError("invalid_input", "You cannot report yourself.");
      // The photo is a URL only (its id is not on the profile): the snapshot keeps the words.
      return { authorId: id, stored: { author: author(profile), text: profile.biography, image_ids: [], content: { ...profile } } };
    }
    case "tweet": {
      const tweet = await services.tweets.one(viewerId, id);
      return { authorId: tweet.owner.user_id, stored: { author: author(tweet.owner), text: tweet.context, image_ids: tweet.image ? [tweet.image.id] : [], content: { ...tweet } } };
    }
    case "comment": {
      const comment = await services.comments.one(viewerId, id);
      return { authorId: comment.owner.user_id, stored: { author: author(comment.owner), text: comment.context, image_ids: [], content: { ...comment } } };
    }
    case "story": {
      const { story, imageId } = await services.stories.one(viewerId, id);
      return { authorId: story.ownerId, stored: { author: author(story.owner), text: null, image_ids: [imageId], content: { ...story } } };
    }
    case "message": {
      const message = await services.messages.received(viewerId, id);
      const image = message.context.image;
      // The sender as the recipient sees them; null when they blocked the recipient since.
      const sender = await services.people.getProfile(viewerId, message.from).catch(() => null);
      return {
        authorId: message.from,
        stored: { author: sender ? author(sender) : null, text: message.context.text, image_ids: image ? [image.id] : [], content: { ...message } },
      };
    }
  }
}

/** Deletes the content through its feature (its followers and watchers are told as when its author deletes it). */
export async function removeTarget(services: TargetServices, kind: TargetKind, id: string): Promise<boolean> {
  switch (kind) {
    case "user":
      throw new AppError("invalid_input", "A report about a user has no content to delete; suspend the user instead.");
    case "tweet":
      return services.tweets.remove(id);
    case "comment":
      return services.comments.remove(id);
    case "story":
      return services.stories.remove(id);
    case "message":
      return services.messages.remove(id);
  }
}
