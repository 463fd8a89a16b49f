import { useLocation } from "preact-iso";
import { Avatar } from "../../components/avatar.tsx";
import { Icon } from "../../components/icons.tsx";
import { LinkifiedText } from "../../components/linkified-text.tsx";
import { Presence } from "../../components/presence.tsx";
import type { Profile } from "../../state/profiles.ts";
import { displayName } from "../../state/users.ts";
import { UnblockButton } from "./block-dialog.tsx";
import { FollowButton } from "./follow-button.tsx";
import { ProfileMenu } from "./profile-menu.tsx";

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}

/** Photo, names, biography, counts and what I can do: follow, message, block — or edit, on my own profile. */
export function ProfileHeader({ profile, mine }: { profile: Profile; mine: boolean }) {
  const { route } = useLocation();
  const name = displayName(profile);
  const base = `/@${encodeURIComponent(profile.username)}`;
  const theyFollowMe = !mine && profile.followsMe;
  return (
    <header class="profile__header">
      <div class="profile__top">
        <button
          type="button"
          class="button button--icon profile__back"
          aria-label="Back"
          onClick={() => (history.length > 1 ? history.back() : route("/home"))}
        >
          <Icon name="back" />
        </button>
        <Avatar id={profile.user_id} name={name} photo={profile.photo} size={88} />
        <div class="profile__actions">
          {mine ? (
            <a class="button button--secondary" href="/settings/profile">
              <Icon name="edit" />
              Edit profile
            </a>
          ) : profile.isBlocked ? (
            <UnblockButton profile={profile} />
          ) : (
            <>
              <FollowButton profile={profile} />
              <a class="button button--secondary profile__message" href={`/chat/${encodeURIComponent(profile.user_id)}`}>
                <Icon name="chats" />
                <span class="profile__action-label">Message</span>
              </a>
            </>
          )}
          {mine ? null : <ProfileMenu profile={profile} />}
        </div>
      </div>
      <h2 id="profile-title" class="profile__name">
        <span>{name}</span>
        {profile.isPrivate ? (
          <span class="profile__lock" role="img" aria-label="Private account" title="Private account">
            <Icon name="lock" />
          </span>
        ) : null}
      </h2>
      <p class="profile__handle">
        <span class="muted">@{profile.username}</span>
        {theyFollowMe ? <span class="profile__tag">Follows you</span> : null}
      </p>
      {profile.isBlocked ? null : (
        <p class="profile__presence">
          <Presence userId={profile.user_id} variant="text" />
        </p>
      )}
      {profile.biography ? (
        <p class="profile__bio">
          <LinkifiedText text={profile.biography} />
        </p>
      ) : null}
      <ul class="profile__counts" aria-label="Counts">
        <li>
          <a href={`${base}/followers`}>{count(profile.followers_count, "follower", "followers")}</a>
        </li>
        <li>
          <a href={`${base}/following`}>{`${profile.following_count.toLocaleString()} following`}</a>
        </li>
        <li>{count(profile.tweets_count, "post", "posts")}</li>
      </ul>
    </header>
  );
}
