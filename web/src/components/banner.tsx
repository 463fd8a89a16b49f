import type { ComponentChildren } from "preact";
import "./banner.css";

/** A message across the top of a form or the app. Errors are alerts; the rest are polite status. */
export function Banner({ tone = "info", children }: { tone?: "info" | "error" | "warning" | "success"; children: ComponentChildren }) {
  return (
    <div class={`banner banner--${tone}`} role={tone === "error" ? "alert" : "status"}>
      {children}
    </div>
  );
}
