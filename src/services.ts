import type { Config } from "./config.ts";
import type { AccountDeletionService } from "./features/accounts/deletion.ts";
import type { EmailFlowsService } from "./features/accounts/email-flows.ts";
import type { AccountExportService } from "./features/accounts/export.ts";
import type { SessionsService } from "./features/accounts/service.ts";
import type { GroupsService } from "./features/groups/service.ts";
import type { MediaService } from "./features/media/service.ts";
import type { MessagesService } from "./features/messages/service.ts";
import type { ModerationService } from "./features/moderation/service.ts";
import type { NotificationsService } from "./features/notifications/service.ts";
import type { GraphService } from "./features/people/graph-service.ts";
import type { PeopleService } from "./features/people/service.ts";
import type { PushService } from "./features/push/service.ts";
import type { StoriesService } from "./features/stories/service.ts";
import type { CommentsService } from "./features/tweets/comments.ts";
import type { TweetsService } from "./features/tweets/service.ts";

/** Every feature's service, built once by the composition root and handed to handlers and routes. */
export interface Services {
  config: Config;
  sessions: SessionsService;
  emailFlows: EmailFlowsService;
  accountDeletion: AccountDeletionService;
  accountExport: AccountExportService;
  media: MediaService;
  people: PeopleService;
  graph: GraphService;
  tweets: TweetsService;
  comments: CommentsService;
  stories: StoriesService;
  messages: MessagesService;
  groups: GroupsService;
  push: PushService;
  notifications: NotificationsService;
  moderation: ModerationService;
  /** The database answers. */
  isReady(): Promise<boolean>;
}
