import { lazy, useLocation } from "preact-iso";
import { useEffect } from "preact/hooks";
import { Icon, type IconName } from "../../components/icons.tsx";
import { connectionState } from "../../state/connection.ts";
import { totalUnread } from "../../state/chats.ts";
import "../../connection/notifications.ts";
import "../../connection/moderation-access.ts";
import { moderationAccess } from "../../state/moderation.ts";
import { unreadNotifications } from "../../state/notifications.ts";
import { pendingRequests } from "../../state/requests.ts";
import { me } from "../../state/session.ts";
import { ChatList } from "../chat-list/chat-list.tsx";
import { prefetchWhenIdle } from "../../lib/prefetch.ts";
import { parseView, type View } from "./views.ts";
import "./shell.css";

const loadConversation = () => import("../conversation/conversation.tsx");
const loadSettings = () => import("../settings/settings.tsx");
const loadHome = () => import("../home/home.tsx");
const loadGroup = () => import("../group/group-conversation.tsx");
const Conversation = lazy(() => loadConversation().then((m) => m.Conversation));
const GroupConversation = lazy(() => loadGroup().then((m) => m.GroupConversation));
const Settings = lazy(() => loadSettings().then((m) => m.Settings));
const Home = lazy(() => loadHome().then((m) => m.Home));
const TweetPage = lazy(() => import("../tweet/tweet-page.tsx").then((m) => m.TweetPage));
const Profile = lazy(() => import("../profile/profile.tsx").then((m) => m.Profile));
const FollowList = lazy(() => import("../profile/follow-list.tsx").then((m) => m.FollowList));
const Requests = lazy(() => import("../requests/requests.tsx").then((m) => m.Requests));
const Notifications = lazy(() => import("../notifications/notifications.tsx").then((m) => m.Notifications));
const Search = lazy(() => import("../search/search.tsx").then((m) => m.Search));
const EditProfile = lazy(() => import("../settings/edit-profile.tsx").then((m) => m.EditProfile));
const Blocked = lazy(() => import("../settings/blocked.tsx").then((m) => m.Blocked));
const Moderation = lazy(() => import("../moderation/moderation.tsx").then((m) => m.Moderation));

/** The main pane for a view other than the chat list. */
function Screen({ view }: { view: View }) {
  switch (view.kind) {
    case "chats":
      return view.userId ? (
        <Conversation key={view.userId} partnerId={view.userId} />
      ) : view.groupId ? (
        <GroupConversation key={view.groupId} groupId={view.groupId} />
      ) : (
        <div class="shell__empty">
          <p>Select a chat to start messaging</p>
        </div>
      );
    case "settings":
      return <Settings />;
    case "edit-profile":
      return <EditProfile />;
    case "blocked":
      return <Blocked />;
    case "home":
      return <Home />;
    case "tweet":
      return <TweetPage key={view.id} id={view.id} />;
    case "profile":
      return <Profile key={view.username ?? view.userId} username={view.username} userId={view.userId} />;
    case "followers":
    case "following":
      return <FollowList key={`${view.kind}:${view.username}`} username={view.username} kind={view.kind} />;
    case "requests":
      return <Requests />;
    case "search":
      return <Search />;
    case "notifications":
      return <Notifications />;
    case "moderation":
      return <Moderation tab={view.tab} />;
  }
}

type Section = "home" | "chats" | "search" | "notifications" | "requests" | "profile" | "settings" | "moderation";

/** The navigation item the view belongs to; none for another person's profile (it is no section's page). */
function sectionOf(view: View, myUsername: string | undefined): Section | null {
  switch (view.kind) {
    case "chats":
      return "chats";
    case "home":
    case "tweet":
      return "home";
    case "search":
      return "search";
    case "notifications":
      return "notifications";
    case "requests":
      return "requests";
    case "moderation":
      return "moderation";
    case "settings":
    case "blocked":
      return "settings";
    case "edit-profile":
      return "profile";
    case "profile":
    case "followers":
    case "following":
      return view.username !== undefined && view.username === myUsername ? "profile" : null;
  }
}

function NavItem({ href, icon, label, active, badge }: { href: string; icon: IconName; label: string; active: boolean; badge?: number }) {
  return (
    <a class={`shell__nav-item ${active ? "is-active" : ""}`} href={href} aria-current={active ? "page" : undefined}>
      <Icon name={icon} />
      <span>{label}</span>
      {badge ? (
        <span class="shell__nav-badge" aria-label={`${badge} new`}>
          {badge}
        </span>
      ) : null}
    </a>
  );
}

/** The signed-in layout: navigation, then the chat list beside a conversation, or one social screen. */
export function Shell() {
  const { path, route } = useLocation();
  const view = parseView(path);
  const myUsername = me.value?.username?.toLowerCase();
  const section = sectionOf(view, myUsername);
  const chats = view.kind === "chats";
  // On a phone one pane shows at a time: the chat list, or whatever is open.
  const pane = chats && !view.userId && !view.groupId ? "list" : "main";
  const offline = connectionState.value === "offline";

  // A click on a push notification while the app is open: the service worker asks to show its chat or post.
  useEffect(() => {
    const sw = "serviceWorker" in navigator ? navigator.serviceWorker : null;
    const onMessage = (event: MessageEvent<{ type?: string; url?: string }>) => {
      if (event.data?.type === "telegraph:navigate" && event.data.url?.startsWith("/")) route(event.data.url);
    };
    sw?.addEventListener("message", onMessage);
    return () => sw?.removeEventListener("message", onMessage);
  }, []);

  // Fetch the screens the first one does not need while the browser is idle.
  useEffect(() => prefetchWhenIdle([loadConversation, loadSettings, loadHome]), []);

  return (
    <div class={`shell shell--${pane} ${chats ? "shell--chats" : "shell--wide"}`}>
      {offline ? (
        <div class="shell__offline" role="status">
          Connection lost — reconnecting…
        </div>
      ) : null}
      <div class="shell__body">
        <nav class="shell__nav" aria-label="Main">
          <NavItem href="/home" icon="home" label="Home" active={section === "home"} />
          <NavItem href="/" icon="chats" label="Chats" active={section === "chats"} badge={totalUnread.value} />
          <NavItem href="/search" icon="search" label="Search" active={section === "search"} />
          <NavItem href="/notifications" icon="bell" label="Notifications" active={section === "notifications"} badge={unreadNotifications.value} />
          <NavItem href="/requests" icon="personAdd" label="Requests" active={section === "requests"} badge={pendingRequests.value} />
          <NavItem href={myUsername ? `/@${myUsername}` : "/settings/profile"} icon="person" label="Profile" active={section === "profile"} />
          <NavItem href="/settings" icon="settings" label="Settings" active={section === "settings"} />
          {moderationAccess.value === "staff" ? <NavItem href="/moderation" icon="shield" label="Moderation" active={section === "moderation"} /> : null}
        </nav>
        {chats ? (
          <aside class="shell__list">
            <ChatList activeId={view.userId ?? view.groupId ?? null} />
          </aside>
        ) : null}
        <main class="shell__main">
          <Screen view={view} />
        </main>
      </div>
    </div>
  );
}
