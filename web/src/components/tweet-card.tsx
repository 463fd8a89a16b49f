// Placeholder from the shell skeleton; replaced by the screen's own implementation.
import type { Tweet } from "../state/types.ts";

/** One tweet (author, time, text, image, like and comment counts). */
export function TweetCard({ tweet }: { tweet: Tweet }) {
  return <article>{tweet.context}</article>;
}
