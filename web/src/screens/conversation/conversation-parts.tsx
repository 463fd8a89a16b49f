import { Icon } from "../../components/icons.tsx";
import { Modal } from "../../components/modal.tsx";
import type { BubbleMessage } from "../../state/types.ts";

/** A dismissable line above the messages (why something failed). */
export function Notice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  if (!text) return null;
  return (
    <div class="conversation__notice" role="status">
      <span>{text}</span>
      <button type="button" class="conversation__notice-close" aria-label="Dismiss" onClick={onDismiss}>
        <Icon name="close" />
      </button>
    </div>
  );
}

/** A message's image at full size. */
export function ImageViewer({ message, onClose }: { message: BubbleMessage | null; onClose: () => void }) {
  const image = message?.context.image;
  if (!image) return null;
  return (
    <Modal label="Image" variant="viewer" onClose={onClose}>
      <button type="button" class="conversation__viewer-close" aria-label="Close" data-autofocus onClick={onClose}>
        <Icon name="close" />
      </button>
      <img src={image.url} alt="Full-size image" width={image.width || undefined} height={image.height || undefined} />
    </Modal>
  );
}
