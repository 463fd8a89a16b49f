// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function FollowList({ username, kind }: { username: string; kind: "followers" | "following" }) {
  return (
    <section class="placeholder" aria-labelledby="follow-list-title">
      <h2 id="follow-list-title">{kind === "followers" ? "Followers" : "Following"} of @{username}</h2>
    </section>
  );
}
