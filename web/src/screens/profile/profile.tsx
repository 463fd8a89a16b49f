// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function Profile({ username, userId }: { username?: string; userId?: string }) {
  return (
    <section class="placeholder" aria-labelledby="profile-title">
      <h2 id="profile-title">{username ? `@${username}` : (userId ?? "Profile")}</h2>
    </section>
  );
}
