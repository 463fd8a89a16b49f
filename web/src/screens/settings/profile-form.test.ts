import { describe, expect, it } from "vitest";
import { changedFields, checkFields, serverFieldErrors, type ProfileFields } from "./profile-form.ts";

const saved: ProfileFields = { name: "Ana", family: "Lima", biography: "hi", last_seen_visibility: "everyone" };

describe("the edit-profile form", () => {
  it("sends only what changed", () => {
    expect(changedFields(saved, { ...saved })).toEqual({});
    expect(changedFields(saved, { ...saved, name: " Anna ", last_seen_visibility: "nobody" })).toEqual({ name: "Anna", last_seen_visibility: "nobody" });
    expect(changedFields(saved, { ...saved, family: "", biography: "" })).toEqual({ family: "", biography: "" });
  });

  it("checks lengths before asking", () => {
    expect(checkFields(saved)).toEqual({});
    expect(checkFields({ ...saved, name: "  ", biography: "b".repeat(501) })).toEqual({ name: "Your name is required.", biography: "At most 500 characters." });
  });

  it("puts the server's refusals beside their fields", () => {
    expect(serverFieldErrors("invalid_input", "0.name: Too small: expected string to have >=1 characters; 0.biography: Too big: expected string to have <=500 characters", false)).toEqual({
      fields: { name: "Required.", biography: "At most 500 characters." },
      general: null,
    });
    expect(serverFieldErrors("invalid_input", "unsupported image format", true)).toEqual({ fields: { photo: "Unsupported image format." }, general: null });
    expect(serverFieldErrors("payload_too_large", "The image has 9000000 pixels; at most 4000000 are accepted.", true).fields).toEqual({
      photo: "The image has 9000000 pixels; at most 4000000 are accepted.",
    });
    expect(serverFieldErrors("payload_too_large", "", true).fields).toEqual({ photo: "This photo is too large." });
    expect(serverFieldErrors("invalid_input", "something else", false)).toEqual({ fields: {}, general: "Something else." });
    expect(serverFieldErrors("internal", "x", false).general).toMatch(/could not be saved/);
  });
});
