/** A file input plus a zone that accepts a dropped file: either way, one `File` to the caller. */

/** Options of {@link watchFileDrop}. */
export interface FileDropOptions {
  zone: HTMLElement;
  input: HTMLInputElement;
  onFile: (file: File) => void;
}

/**
 * Calls `onFile` with the first file picked in `input` or dropped on `zone`. The zone gets the class
 * `is-dragging` while a file hovers over it.
 *
 * @example
 * watchFileDrop({ zone: byId('drop-zone', HTMLElement), input: byId('file', HTMLInputElement), onFile: classifyFile });
 */
export function watchFileDrop({ zone, input, onFile }: FileDropOptions): void {
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file !== undefined) onFile(file);
    // Picking the same file again should classify it again.
    input.value = '';
  });
  const hovering = (on: boolean) => zone.classList.toggle('is-dragging', on);
  zone.addEventListener('dragover', (event) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    hovering(true);
  });
  zone.addEventListener('dragleave', (event) => {
    if (!zone.contains(event.relatedTarget as Node | null)) hovering(false);
  });
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    hovering(false);
    const file = event.dataTransfer?.files[0];
    if (file !== undefined) onFile(file);
  });
  // A file dropped just beside the zone would otherwise make the browser navigate away to it.
  window.addEventListener('dragover', (event) => event.preventDefault());
  window.addEventListener('drop', (event) => event.preventDefault());
}
