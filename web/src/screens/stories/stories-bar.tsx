// Placeholder from the shell skeleton; replaced by the screen's own implementation.
/** The stories bar above the home feed: me first, then whom I follow. */
export function StoriesBar() {
  return null;
}
