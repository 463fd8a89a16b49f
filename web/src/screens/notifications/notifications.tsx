import { useEffect, useRef, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { Icon, type IconName } from "../../components/icons.tsx";
import { loadNotifications, markAllNotificationsRead } from "../../connection/notifications.ts";
import { connectionState } from "../../state/connection.ts";
import { actorsText, notifications, notificationsHasMore, notificationsLoaded, verbOf } from "../../state/notifications.ts";
import type { NotificationEntry } from "../../state/types.ts";
import { displayName } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import { NotificationSettingsCard } from "./settings-card.tsx";
import "./notifications.css";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

const ICONS: Record<NotificationEntry["kind"], IconName> = {
  follow: "personAdd",
  follow_request: "personAdd",
  follow_accepted: "person",
  like: "heart",
  comment: "comment",
  reply: "reply",
  mention: "comment",
};

/** Where an entry leads: the post it is about, the requests inbox, or the person. */
function targetOf(n: NotificationEntry): string {
  if (n.tweet) return `/tweet/${encodeURIComponent(n.tweet.id)}`;
  if (n.kind === "follow_request") return "/requests";
  const first = n.actors[0];
  return first ? profilePath(first) : "/notifications";
}

function Entry({ n }: { n: NotificationEntry }) {
  const who = actorsText(
    n.actors.map((a) => displayName(a)),
    n.actors_count,
  );
  const text = `${who} ${verbOf(n.kind)}`;
  const quote = n.comment?.text ?? n.tweet?.text ?? "";
  return (
    <li class={`notif ${n.read ? "" : "is-unread"}`} data-kind={n.kind}>
      <a class="notif__link" href={targetOf(n)} aria-label={`${n.read ? "" : "Unread: "}${text}${quote ? `: ${quote}` : ""}`}>
        <span class={`notif__icon notif__icon--${n.kind}`}>
          <Icon name={ICONS[n.kind]} />
        </span>
        <span class="notif__body">
          <span class="notif__avatars" aria-hidden="true">
            {n.actors.map((a) => (
              <Avatar key={a.user_id} id={a.user_id} name={displayName(a)} photo={a.photo} size={32} />
            ))}
          </span>
          <span class="notif__text">{text}</span>
          {quote ? <span class="notif__quote">{quote}</span> : null}
          <time class="notif__time" dateTime={n.updated_at}>
            {when.format(new Date(n.updated_at))}
          </time>
        </span>
      </a>
    </li>
  );
}

/** My notifications, newest first, grouped as the server groups them; read once shown with focus. */
export function Notifications() {
  const online = connectionState.value === "online";
  const list = notifications.value;
  const [loadingMore, setLoadingMore] = useState(false);
  const section = useRef<HTMLElement>(null);

  useEffect(() => {
    if (online) void loadNotifications();
  }, [online]);

  // Shown with focus: everything on the list is read (the badge clears on every device).
  useEffect(() => {
    if (!list.some((n) => !n.read)) return;
    const mark = () => {
      if (document.hasFocus() && document.visibilityState === "visible") void markAllNotificationsRead();
    };
    const timer = setTimeout(mark, 800);
    window.addEventListener("focus", mark);
    return () => {
      clearTimeout(timer);
      window.removeEventListener("focus", mark);
    };
  }, [list]);

  const more = async () => {
    setLoadingMore(true);
    await loadNotifications(true);
    setLoadingMore(false);
  };

  return (
    <section class="notifs" aria-labelledby="notifs-title" ref={section}>
      <header class="notifs__header">
        <h2 id="notifs-title">Notifications</h2>
      </header>
      {list.length > 0 ? (
        <ul class="notifs__list" aria-label="Notifications">
          {list.map((n) => (
            <Entry key={n.id} n={n} />
          ))}
        </ul>
      ) : notificationsLoaded.value ? (
        <p class="notifs__empty">Nothing yet. Follows, likes, comments and mentions show up here.</p>
      ) : (
        <p class="notifs__empty" role="status">
          {online ? "Loading…" : "Waiting for the connection…"}
        </p>
      )}
      {list.length > 0 && notificationsHasMore.value ? (
        <div class="notifs__more">
          <Button variant="secondary" onClick={() => void more()} disabled={loadingMore} busy={loadingMore}>
            Show older
          </Button>
        </div>
      ) : null}
      <NotificationSettingsCard />
    </section>
  );
}
