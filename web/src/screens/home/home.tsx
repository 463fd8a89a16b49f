// Placeholder from the shell skeleton; replaced by the screen's own implementation (keep the stories bar on top).
import { StoriesBar } from "../stories/stories-bar.tsx";

export function Home() {
  return (
    <section class="placeholder" aria-labelledby="home-title">
      <h2 id="home-title">Home</h2>
      <StoriesBar />
    </section>
  );
}
