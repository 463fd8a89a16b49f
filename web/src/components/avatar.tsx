import "./avatar.css";

// Each of these keeps white initials above 4.5:1 contrast.
const COLOURS = ["#c2410c", "#1d4ed8", "#047857", "#7c3aed", "#be185d", "#0e7490", "#a16207", "#4d7c0f"];

/** A round photo, or the person's initials on a colour derived from their id. */
export function Avatar({ id, name, photo, size = 48, online }: { id: string; name: string; photo?: string | null; size?: number; online?: boolean }) {
  const initials = name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]?.toUpperCase())
    .join("");
  let hash = 0;
  for (const ch of id) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const colour = COLOURS[hash % COLOURS.length];
  return (
    <span class="avatar" style={{ width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.38)}px` }} aria-hidden="true">
      {photo ? (
        <img class="avatar__img" src={photo} alt="" width={size} height={size} loading="lazy" />
      ) : (
        <span class="avatar__initials" style={{ background: colour }}>
          {initials || "?"}
        </span>
      )}
      {online ? <span class="avatar__online" /> : null}
    </span>
  );
}
