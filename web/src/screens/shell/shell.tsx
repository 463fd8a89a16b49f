import { lazy, useLocation, useRoute } from "preact-iso";
import { useEffect } from "preact/hooks";
import { Icon } from "../../components/icons.tsx";
import { connectionState } from "../../state/connection.ts";
import { totalUnread } from "../../state/chats.ts";
import { ChatList } from "../chat-list/chat-list.tsx";
import "./shell.css";

const loadConversation = () => import("../conversation/conversation.tsx");
const loadSettings = () => import("../settings/settings.tsx");
const Conversation = lazy(() => loadConversation().then((m) => m.Conversation));
const Settings = lazy(() => loadSettings().then((m) => m.Settings));

/** The signed-in layout: navigation, the chat list, and the open pane (one at a time on a phone). */
export function Shell() {
  const { path } = useLocation();
  const { params } = useRoute();
  const userId = path.startsWith("/chat/") ? params["userId"] : undefined;
  const settings = path === "/settings";
  const pane = userId || settings ? "main" : "list";
  const offline = connectionState.value === "offline";

  useEffect(() => {
    // Fetch the screens the first one does not need while the browser is idle.
    const idle = window.requestIdleCallback ?? ((cb: () => void) => setTimeout(cb, 1500));
    idle(() => {
      void loadConversation();
      void loadSettings();
    });
  }, []);

  return (
    <div class={`shell shell--${pane}`}>
      {offline ? (
        <div class="shell__offline" role="status">
          Connection lost — reconnecting…
        </div>
      ) : null}
      <div class="shell__body">
        <nav class="shell__nav" aria-label="Main">
          <a class={`shell__nav-item ${!settings ? "is-active" : ""}`} href="/" aria-current={!settings ? "page" : undefined}>
            <Icon name="chats" />
            <span>Chats</span>
            {totalUnread.value > 0 ? <span class="shell__nav-badge">{totalUnread.value}</span> : null}
          </a>
          <a class={`shell__nav-item ${settings ? "is-active" : ""}`} href="/settings" aria-current={settings ? "page" : undefined}>
            <Icon name="settings" />
            <span>Settings</span>
          </a>
        </nav>
        <aside class="shell__list">
          <ChatList activeId={userId ?? null} />
        </aside>
        <main class="shell__main">
          {userId ? <Conversation key={userId} partnerId={userId} /> : settings ? <Settings /> : <div class="shell__empty"><p>Select a chat to start messaging</p></div>}
        </main>
      </div>
    </div>
  );
}
