import { describe, expect, it } from "vitest";
import { shouldNotify, type NotifyFacts } from "./policy.ts";
import { NotificationSettingsShape } from "./settings.ts";

const defaults = NotificationSettingsShape.parse({});
const facts = (over: Partial<NotifyFacts> = {}): NotifyFacts => ({ settings: defaults, blocked: false, follows_actor: false, tweet: null, ...over });
const tweet = (over: Partial<NonNullable<NotifyFacts["tweet"]>> = {}) => ({
  owner_private: false,
  follows_owner: false,
  is_owner: false,
  blocked_with_owner: false,
  ...over,
});

describe("shouldNotify", () => {
  it("notifies by default, never of one's own act", () => {
    expect(shouldNotify("r", "a", "follow", facts())).toBe(true);
    expect(shouldNotify("r", "r", "like", facts({ tweet: tweet({ is_owner: true }) }))).toBe(false);
  });

  it("nothing across a block", () => {
    expect(shouldNotify("r", "a", "like", facts({ blocked: true, tweet: tweet({ is_owner: true }) }))).toBe(false);
  });

  it("a kind turned off", () => {
    expect(shouldNotify("r", "a", "follow", facts({ settings: { ...defaults, follow: false } }))).toBe(false);
    expect(shouldNotify("r", "a", "like", facts({ settings: { ...defaults, follow: false }, tweet: tweet({ is_owner: true }) }))).toBe(true);
  });

  it("a mention in a tweet the recipient may not see", () => {
    expect(shouldNotify("r", "a", "mention", facts({ tweet: tweet({ owner_private: true }) }))).toBe(false);
    expect(shouldNotify("r", "a", "mention", facts({ tweet: tweet({ owner_private: true, follows_owner: true }) }))).toBe(true);
    expect(shouldNotify("r", "a", "mention", facts({ tweet: tweet({ blocked_with_owner: true }) }))).toBe(false);
  });

  it("mentions from people I do not follow, when turned off", () => {
    const off = { ...defaults, mentions_from_non_followed: false };
    expect(shouldNotify("r", "a", "mention", facts({ settings: off, tweet: tweet() }))).toBe(false);
    expect(shouldNotify("r", "a", "mention", facts({ settings: off, follows_actor: true, tweet: tweet() }))).toBe(true);
    expect(shouldNotify("r", "a", "comment", facts({ settings: off, tweet: tweet({ is_owner: true }) }))).toBe(true);
  });
});
