import { describe, expect, it } from "vitest";
import { dispatchPush } from "../connection/pushes.ts";
import { addRequest, followRequests, pendingRequests, removeRequest, replaceRequests, type FollowRequest } from "./requests.ts";

const request = (n: number): FollowRequest => ({
  user_id: n.toString(16).padStart(24, "0"),
  name: `P${n}`,
  family: "",
  username: `p${n}`,
  photo: null,
  requested_at: "2026-12-03T10:00:00.000Z",
});

describe("follow requests store", () => {
  it("counts requests by applicant, once each, newest first", () => {
    replaceRequests([request(1), request(2)]);
    expect(pendingRequests.value).toBe(2);
    addRequest(request(3));
    addRequest(request(3));
    expect(pendingRequests.value).toBe(3);
    expect([...followRequests.value.keys()][0]).toBe(request(3).user_id);
    removeRequest(request(1).user_id);
    removeRequest(request(1).user_id);
    expect(pendingRequests.value).toBe(2);
  });

  it("follows the pushes: a new request adds, a new follower (accepted elsewhere) removes; a replay adds nothing twice", () => {
    replaceRequests([]);
    const { requested_at: _, ...push } = request(7);
    dispatchPush("newFollowRequest", { ...push, seq: 3 });
    dispatchPush("newFollowRequest", { ...push, seq: 3 });
    expect(pendingRequests.value).toBe(1);
    dispatchPush("newFollowerFromServer", { ...push, seq: 4 });
    expect(pendingRequests.value).toBe(0);
  });
});
