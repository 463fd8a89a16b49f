// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function Search() {
  return (
    <section class="placeholder" aria-labelledby="search-title">
      <h2 id="search-title">Search</h2>
    </section>
  );
}
