import "./avatar.css";

const HUES = [200, 340, 25, 140, 265, 45, 180, 300];

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
  const hue = HUES[hash % HUES.length];
  return (
    <span class="avatar" style={{ width: `${size}px`, height: `${size}px`, fontSize: `${Math.round(size * 0.38)}px` }} aria-hidden="true">
      {photo ? (
        <img class="avatar__img" src={photo} alt="" width={size} height={size} loading="lazy" />
      ) : (
        <span class="avatar__initials" style={{ background: `hsl(${hue} 60% 55%)` }}>
          {initials || "?"}
        </span>
      )}
      {online ? <span class="avatar__online" /> : null}
    </span>
  );
}
