import { describe, expect, it } from "vitest";
import { describeNotification, pushPayload } from "./payload.ts";

const ann = { name: "Ann", family: "Lee", username: "ann" };
const bo = { name: "Bo", family: "", username: "bo" };

describe("push payloads", () => {
  it("describes a grouped like with the latest actor, the others counted, the quote and the post", () => {
    expect(describeNotification({ kind: "like", actors: [ann, bo], actors_count: 3, tweet: { id: "t1", text: "sunrise" }, comment: null })).toEqual({
      title: "Ann Lee and 2 others",
      text: "liked your post: sunrise",
      url: "/tweet/t1",
    });
  });

  it("leads a follow to the follower's profile and a request to the requests", () => {
    expect(describeNotification({ kind: "follow", actors: [bo], actors_count: 1, tweet: null, comment: null })).toEqual({ title: "Bo", text: "followed you", url: "/@bo" });
    expect(describeNotification({ kind: "follow_request", actors: [ann], actors_count: 2, tweet: null, comment: null })?.url).toBe("/requests");
    expect(describeNotification({ kind: "follow", actors: [], actors_count: 0, tweet: null, comment: null })).toBeUndefined();
  });

  it("says nothing of the content when previews are off", () => {
    const item = { title: "Ann Lee", text: "secret", hasImage: false, url: "/chat/x" };
    expect(pushPayload({ kind: "message", ...item }, false)).toEqual({ kind: "message", title: "Telegraph", body: "New message", url: "/", tag: "message" });
    expect(pushPayload({ kind: "notification", ...item }, false)).toEqual({ kind: "notification", title: "Telegraph", body: "New notification", url: "/notifications", tag: "notification" });
    expect(pushPayload({ kind: "message", ...item }, true)).toEqual({ kind: "message", title: "Ann Lee", body: "secret", url: "/chat/x", tag: "/chat/x" });
  });
});
