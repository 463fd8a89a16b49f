import type { JSX } from "preact";
import { useId } from "preact/hooks";
import "./field.css";

type Props = JSX.InputHTMLAttributes<HTMLInputElement> & { label: string; error?: string | undefined; hint?: string };

/** A labelled input with its error (from the server or the form) right below it. */
export function Field({ label, error, hint, id, ...rest }: Props) {
  const auto = useId();
  const inputId = (id as string | undefined) ?? `f-${auto}`;
  const errorId = `${inputId}-error`;
  const hintId = `${inputId}-hint`;
  const describedBy = [error ? errorId : "", hint ? hintId : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div class={`field ${error ? "field--invalid" : ""}`}>
      <label class="field__label" for={inputId}>
        {label}
      </label>
      <input class="field__input" id={inputId} aria-invalid={error ? "true" : undefined} aria-describedby={describedBy} {...rest} />
      {hint && !error ? (
        <p class="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
