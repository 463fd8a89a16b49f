import { signal } from "@preact/signals";

/** How many follow requests wait for my answer (the badge on the navigation). Kept live by the requests feature. */
export const pendingRequests = signal(0);
