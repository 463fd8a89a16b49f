// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function Blocked() {
  return (
    <section class="placeholder" aria-labelledby="blocked-title">
      <h2 id="blocked-title">Blocked users</h2>
    </section>
  );
}
