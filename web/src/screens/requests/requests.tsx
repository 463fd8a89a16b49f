import { useEffect, useState } from "preact/hooks";
import { Avatar } from "../../components/avatar.tsx";
import { Button } from "../../components/button.tsx";
import { answerRequest, reloadRequests } from "../../connection/people.ts";
import { announce, connectionState } from "../../state/connection.ts";
import { followRequests, followRequestsLoaded, type FollowRequest } from "../../state/requests.ts";
import { displayName } from "../../state/users.ts";
import { profilePath } from "../shell/views.ts";
import "./requests.css";

const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function RequestRow({ request }: { request: FollowRequest }) {
  const [busy, setBusy] = useState<"accept" | "reject" | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const name = displayName(request);
  const answer = async (accept: boolean) => {
    setBusy(accept ? "accept" : "reject");
    setFailed(null);
    const result = await answerRequest(request.user_id, accept);
    if (result.ok) {
      announce(accept ? `${name} now follows you` : `Request from ${name} rejected`);
      return; // the row goes away with the request
    }
    setBusy(null);
    setFailed(result.error === "offline" ? "You are offline; try again when the connection is back." : "That did not work; try again.");
  };
  const nameId = `request-${request.user_id}`;
  return (
    <li class="requests__row">
      <a class="requests__who" href={profilePath(request)} id={nameId}>
        <Avatar id={request.user_id} name={name} photo={request.photo} size={48} />
        <span class="requests__names">
          <span class="requests__name">{name}</span>
          <span class="muted">@{request.username}</span>
          <time class="requests__time muted" dateTime={request.requested_at}>
            {when.format(new Date(request.requested_at))}
          </time>
        </span>
      </a>
      <div class="requests__actions">
        <Button variant="primary" aria-label={`Accept ${name}`} onClick={() => void answer(true)} disabled={busy !== null} busy={busy === "accept"}>
          Accept
        </Button>
        <Button variant="secondary" aria-label={`Reject ${name}`} onClick={() => void answer(false)} disabled={busy !== null} busy={busy === "reject"}>
          Reject
        </Button>
      </div>
      {failed ? (
        <p class="requests__error" role="alert">
          {failed}
        </p>
      ) : null}
    </li>
  );
}

/** Follow requests to my private account, newest first: accept or reject each. */
export function Requests() {
  const online = connectionState.value === "online";
  useEffect(() => {
    // The list may have changed since the last connection (a request withdrawn pushes nothing).
    if (online) void reloadRequests();
  }, [online]);
  const list = [...followRequests.value.values()];
  return (
    <section class="requests" aria-labelledby="requests-title">
      <header class="requests__header">
        <h2 id="requests-title">Follow requests</h2>
      </header>
      {list.length > 0 ? (
        <ul class="requests__list" aria-label="Follow requests">
          {list.map((r) => (
            <RequestRow key={r.user_id} request={r} />
          ))}
        </ul>
      ) : followRequestsLoaded.value ? (
        <p class="requests__empty">No follow requests. When your account is private, people who ask to follow you show up here.</p>
      ) : (
        <p class="requests__empty" role="status">
          {online ? "Loading…" : "Waiting for the connection…"}
        </p>
      )}
    </section>
  );
}
