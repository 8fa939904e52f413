/** Typed look-ups of the elements `index.html` promises. */

/**
 * The element with `id`, checked to be of `type`: a mismatch between page and script fails loudly
 * at start-up instead of as `undefined` later.
 *
 * @example
 * const canvas = byId('pad', HTMLCanvasElement); // HTMLCanvasElement
 */
export function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const element = document.getElementById(id);
  if (!(element instanceof type)) {
    throw new Error(
      `index.html: expected #${id} to be a ${type.name}, found ${element === null ? 'nothing' : element.constructor.name}`,
    );
  }
  return element;
}
