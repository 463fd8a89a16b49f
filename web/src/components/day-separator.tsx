import "./day-separator.css";

export function DaySeparator({ label }: { label: string }) {
  return (
    <div class="day-separator" role="separator" aria-label={label}>
      <span>{label}</span>
    </div>
  );
}
