// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function Requests() {
  return (
    <section class="placeholder" aria-labelledby="requests-title">
      <h2 id="requests-title">Follow requests</h2>
    </section>
  );
}
