/** Edits of TIFF IFD entries in place, for tests of hostile headers. Test-only. */

/** Finds `tag` in the first IFD and returns the byte offset of its 12-byte entry. */
export function tiffEntry(tiff: Buffer, tag: number): number {
  const le = tiff[0] === 0x49;
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const ifd = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
  for (let i = 0; i < u16(ifd); i += 1) {
    const entry = ifd + 2 + 12 * i;
    if (u16(entry) === tag) return entry;
  }
  throw new Error(`tiffEntry: expected tag ${tag} in the first IFD, found none`);
}

/** Sets the count (`field: 'count'`) or the inline value (`'value'`, SHORT or LONG) of a tag. */
export function editTiff(tiff: Buffer, tag: number, field: 'count' | 'value', value: number): Buffer {
  const le = tiff[0] === 0x49;
  const entry = tiffEntry(tiff, tag);
  const type = le ? tiff.readUInt16LE(entry + 2) : tiff.readUInt16BE(entry + 2);
  if (field === 'count') {
    if (le) tiff.writeUInt32LE(value, entry + 4);
    else tiff.writeUInt32BE(value, entry + 4);
  } else if (type === 3) {
    if (le) tiff.writeUInt16LE(value, entry + 8);
    else tiff.writeUInt16BE(value, entry + 8);
  } else if (le) tiff.writeUInt32LE(value, entry + 8);
  else tiff.writeUInt32BE(value, entry + 8);
  return tiff;
}
