/**
 * The names of attached files. A name is what the sender typed (or forged), so it is cleaned the same
 * way when it is stored and again when it is shown or offered for download — names stored before
 * this cleaning existed are served safely too. The extension is always the one of the type the
 * bytes say: a PDF sent as `intyg.html` is saved by the reader as `intyg.pdf`, never as HTML.
 */

/** Accepted types and their extensions; the first is the one given to a name without a fitting one. */
const EXTENSIONS: Record<string, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg'],
};

const MAX_NAME = 150;

// Control characters (C0, DEL, C1), format characters (bidirectional overrides and isolates
// U+202A–U+202E and U+2066–U+2069, the marks U+200E/U+200F/U+061C, zero-width characters, the byte
// order mark, soft hyphens), lone surrogates, line and paragraph separators: none belongs in a
// file name, and the bidi ones make `gpj.exe` look like `exe.jpg`.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
// Path separators and the characters Windows refuses in names (and the quote Content-Disposition uses).
const RESERVED = /[\\/"<>|:*?]/g;

/** The name to store and show for a file of this content type: no path, no invisible characters, the type's extension. */
export function safeFilename(name: string, contentType: string): string {
  const extensions = EXTENSIONS[contentType] ?? ['bin'];
  const cleaned = name
    .normalize('NFC')
    .replace(INVISIBLE, '')
    // The last path segment only: a name is never a path.
    .split(/[\\/]/)
    .pop()!
    .replace(RESERVED, '')
    .replace(/\s+/gu, ' ')
    .trim();
  const dot = cleaned.lastIndexOf('.');
  const typed = dot > 0 ? cleaned.slice(dot + 1).toLowerCase() : '';
  const ext = extensions.includes(typed) ? typed : extensions[0]!;
  // Leading dots would hide the file on the reader's computer; trailing dots and spaces are dropped by Windows.
  let base = (dot > 0 ? cleaned.slice(0, dot) : cleaned).replace(/^[.\s]+/u, '').replace(/[.\s]+$/u, '');
  // Cut by code points, so a cut never leaves half a surrogate pair.
  const room = MAX_NAME - ext.length - 1;
  if ([...base].length > room) base = [...base].slice(0, room).join('').trimEnd();
  return `${base || 'file'}.${ext}`;
}

/** The extension a stored blob of this content type gets. */
export function extensionOf(contentType: string): string {
  return (EXTENSIONS[contentType] ?? ['bin'])[0]!;
}

/**
 * A Content-Disposition header value for a file: a plain ASCII `filename=` for old clients and the
 * exact name as `filename*=UTF-8''…` (RFC 6266, RFC 8187), from a name already made safe.
 */
export function contentDisposition(type: 'attachment' | 'inline', filename: string): string {
  const ascii = filename
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    // '%' too: some clients decode percent escapes in filename=.
    .replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
