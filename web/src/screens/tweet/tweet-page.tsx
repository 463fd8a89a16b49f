// Placeholder from the shell skeleton; replaced by the screen's own implementation.
export function TweetPage({ id }: { id: string }) {
  return (
    <section class="placeholder" aria-labelledby="tweet-title">
      <h2 id="tweet-title">Post</h2>
      <p class="muted">{id}</p>
    </section>
  );
}
