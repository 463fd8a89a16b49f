// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function Home() {
  return (
    <section class="placeholder" aria-labelledby="home-title">
      <h2 id="home-title">Home</h2>
    </section>
  );
}
