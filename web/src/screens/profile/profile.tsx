import { useEffect, useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { Icon } from "../../components/icons.tsx";
import { followPeopleLive, loadProfile, resolveUsername, type Failure } from "../../connection/people.ts";
import { connectionState } from "../../state/connection.ts";
import { canSeeContent, idOfUsername, profiles, unavailable } from "../../state/profiles.ts";
import { myId } from "../../state/session.ts";
import { displayName } from "../../state/users.ts";
import { ProfileHeader } from "./profile-header.tsx";
import { ProfileTweets } from "./profile-tweets.tsx";
import "./profile.css";

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** Someone's profile (by username or id): header, follow state, and their posts when I may see them. */
export function Profile({ username, userId }: { username?: string; userId?: string }) {
  const online = connectionState.value === "online";
  const [id, setId] = useState<string | null>(userId ?? (username ? (idOfUsername(username) ?? null) : null));
  const [error, setError] = useState<Failure | null>(null);
  const [attempt, setAttempt] = useState(0);

  // Live follow answers, new followers and follows ended by a block, while this screen shows.
  useEffect(() => (online ? followPeopleLive() : undefined), [online]);

  useEffect(() => {
    if (!online) return;
    let live = true;
    void (async () => {
      let target = userId;
      if (target && !OBJECT_ID.test(target)) {
        setError("not_found");
        return;
      }
      // A username not seen before is resolved by reading its profile: that read is fresh, no second one is needed.
      let fresh = false;
      if (!target && username) {
        fresh = idOfUsername(username) === undefined;
        const found = await resolveUsername(username);
        if (!live) return;
        if (!found.ok) {
          setError(found.error);
          return;
        }
        target = found.value;
        setId(target);
      }
      if (!target) return;
      if (fresh) {
        setError(null);
        return;
      }
      const got = await loadProfile(target);
      if (live) setError(got.ok ? null : got.error);
    })();
    return () => {
      live = false;
    };
  }, [online, username, userId, attempt]);

  const profile = id ? profiles.value.get(id) : undefined;
  const gone = error === "not_found" || (id !== null && unavailable.value.has(id));
  const me = myId.value;

  if (gone) {
    return (
      <section class="profile" aria-labelledby="profile-title">
        <div class="profile__gone">
          <Icon name="block" />
          <h2 id="profile-title">This profile is not available</h2>
          <p class="muted">{username ? `@${username}` : "This account"} does not exist, or you cannot see it.</p>
        </div>
      </section>
    );
  }
  if (!profile) {
    return (
      <section class="profile" aria-labelledby="profile-title" aria-busy={error ? undefined : "true"}>
        <h2 id="profile-title" class="profile__loading-title">
          {username ? `@${username}` : "Profile"}
        </h2>
        {error ? (
          <p class="profile__error" role="alert">
            {error === "offline" ? "You are offline; the profile loads when the connection is back." : "The profile could not be loaded."}{" "}
            {error === "offline" ? null : (
              <Button variant="ghost" onClick={() => setAttempt(attempt + 1)}>
                Try again
              </Button>
            )}
          </p>
        ) : (
          <p class="profile__note" role="status">
            Loading profile…
          </p>
        )}
      </section>
    );
  }

  const mine = profile.user_id === me;
  const visible = canSeeContent(profile, me);
  const name = displayName(profile);
  return (
    <section class="profile" aria-labelledby="profile-title">
      <ProfileHeader profile={profile} mine={mine} />
      {profile.isBlocked ? (
        <div class="profile__notice">
          <Icon name="block" />
          <p>
            You blocked @{profile.username}. They cannot follow you, message you or see your profile.
          </p>
        </div>
      ) : visible ? (
        <ProfileTweets userId={profile.user_id} name={name} />
      ) : (
        <div class="profile__notice">
          <Icon name="lock" />
          <div>
            <p class="profile__notice-title">This account is private</p>
            <p class="muted">Follow @{profile.username} to see their posts; they approve each follower.</p>
          </div>
        </div>
      )}
    </section>
  );
}
