import { useState } from "preact/hooks";
import { Button } from "../../components/button.tsx";
import { follow, unfollow } from "../../connection/people.ts";
import { announce } from "../../state/connection.ts";
import { followState, type Profile } from "../../state/profiles.ts";

const LABELS = { follow: "Follow", requested: "Requested", following: "Following" } as const;
const HINTS = {
  follow: undefined,
  requested: "Your follow request is waiting for an answer. Press to withdraw it.",
  following: "You follow them. Press to unfollow.",
} as const;

/** Follow / Requested (press to withdraw) / Following (press to unfollow). */
export function FollowButton({ profile }: { profile: Profile }) {
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const state = followState(profile);
  const hint = HINTS[state];
  const hintId = `follow-hint-${profile.user_id}`;
  const press = async () => {
    setBusy(true);
    setFailed(null);
    const result = state === "follow" ? await follow(profile.user_id) : await unfollow(profile.user_id);
    setBusy(false);
    if (!result.ok) {
      setFailed(result.error === "offline" ? "You are offline; try again when the connection is back." : "That did not work; try again.");
      return;
    }
    if (state === "follow") announce(result.value === "requested" ? `Follow request sent to @${profile.username}` : `You follow @${profile.username}`);
    else announce(state === "requested" ? "Follow request withdrawn" : `You unfollowed @${profile.username}`);
  };
  return (
    <>
      <Button
        variant={state === "follow" ? "primary" : "secondary"}
        class={`profile__follow profile__follow--${state}`}
        onClick={() => void press()}
        disabled={busy}
        busy={busy}
        title={state === "following" ? "Unfollow" : state === "requested" ? "Withdraw the request" : undefined}
        aria-describedby={hint ? hintId : undefined}
      >
        {LABELS[state]}
      </Button>
      {hint ? (
        <span id={hintId} class="visually-hidden">
          {hint}
        </span>
      ) : null}
      {failed ? (
        <p class="profile__error" role="alert">
          {failed}
        </p>
      ) : null}
    </>
  );
}
