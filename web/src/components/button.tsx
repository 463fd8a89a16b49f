import type { ComponentChildren, JSX } from "preact";
import "./button.css";

type Props = JSX.ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: "primary" | "secondary" | "ghost" | "danger" | "icon";
  children?: ComponentChildren;
  busy?: boolean;
};

/** A button; icon buttons must be given an aria-label. */
export function Button({ variant = "primary", class: className, busy, children, type, ...rest }: Props) {
  return (
    <button type={type ?? "button"} class={`button button--${variant} ${className ?? ""}`} aria-busy={busy ? "true" : undefined} {...rest}>
      {children}
    </button>
  );
}
