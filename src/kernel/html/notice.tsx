/**
 * The confirmation after something was done ("Ditt meddelande är skickat", "Ärendet är tilldelat"):
 * one pattern for every resident and staff page, so a confirmation is never plain text a screen
 * reader passes by. The page it lands on (after a POST and its 303) says it three ways:
 *
 * - the page title starts with it (`noticeTitle`), which a screen reader reads first on a new page;
 * - the notice is a status region (role=status, polite), for readers that announce live regions;
 * - it takes focus (autofocus, tabindex=-1: works without JavaScript), so reading starts there and
 *   a keyboard user's next Tab continues from it, as GOV.UK's success banner does.
 *
 * A warning or a refusal after an action ("already settled") uses the same component with `kind`.
 */
import type { ComponentChildren } from 'preact';

export type NoticeKind = 'success' | 'info' | 'warning';

/** What a page says after an action: the text, and how it reads. */
export interface Notice {
  text: string;
  kind?: NoticeKind;
}

/** The page title with the notice first: "Ditt meddelande är skickat – Förskola – FSK-2026-000001". */
export function noticeTitle(title: string, notice: Notice | string | undefined): string {
  if (!notice) return title;
  const text = (typeof notice === 'string' ? notice : notice.text).replace(/[.!]+$/, '');
  return `${text} – ${title}`;
}

/** The notice itself, at the top of the page's content (before its h1). Renders nothing without one. */
export function NoticeBanner({ notice, children }: { notice: Notice | string | undefined; children?: ComponentChildren }) {
  if (!notice) return null;
  const { text, kind = 'success' } = typeof notice === 'string' ? { text: notice } : notice;
  return (
    <div class="ds-alert mb-notice" data-color={kind} role="status" aria-live="polite" aria-atomic="true" tabIndex={-1} autofocus id="notice">
      <p class="ds-paragraph">{text}</p>
      {children}
    </div>
  );
}
