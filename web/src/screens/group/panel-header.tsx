import { Icon } from "../../components/icons.tsx";

/** A group dialog's heading with its close button. */
export function PanelHeader({ title, onClose }: { title: string; onClose: () => void }) {
  return (
    <header class="group-panel__header">
      <h2 class="group-panel__title">{title}</h2>
      <button type="button" class="group-panel__close" aria-label="Close" onClick={onClose}>
        <Icon name="close" />
      </button>
    </header>
  );
}
