/**
 * iCalendar (RFC 5545) text for bookings: a VCALENDAR of VEVENTs with their instants in UTC.
 *
 * Written by hand rather than with ical-generator: 11.x needs Node 22, and 10.2.0 (the last for Node 20) writes
 * the UID and the calendar name unescaped, so a line break in a resource's name would start a property of its own,
 * and it leaves the last line without its CRLF. The subset a booking needs is small: text escaping, UTC times and
 * folding.
 */

export const ICS_CONTENT_TYPE = 'text/calendar; charset=utf-8';

export type IcsStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

export interface IcsEvent {
  /** Unique within the domain and stable for the booking, so that a client updates the event it already has. */
  readonly uid: string;
  readonly start: Date;
  readonly end: Date;
  readonly summary: string;
  readonly location?: string;
  readonly description?: string;
  readonly url?: string;
  readonly status?: IcsStatus;
  /** When this version of the event was written (DTSTAMP). */
  readonly stamp: Date;
  /** Raised each time the booking changes, so that clients take the newer version. */
  readonly sequence?: number;
  /** True when the event should not show the person as busy. */
  readonly transparent?: boolean;
}

export interface IcsCalendarOptions {
  /** Shown by clients as the calendar's name (X-WR-CALNAME). */
  readonly name?: string;
  /** Makes the UIDs globally unique (`<uid>@<domain>`): the tenant's host name. */
  readonly domain: string;
  readonly events: readonly IcsEvent[];
}

// RFC 5545 3.1: a content line is at most 75 octets, not counting its CRLF.
const MAX_OCTETS = 75;

/**
 * A TEXT value (RFC 5545 3.3.11). Every kind of line break becomes `\n`, so no value can end its line and start a
 * property of its own; other control characters are not allowed in TEXT at all and are dropped.
 */
function text(value: string): string {
  return value
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}

/** A URI value: the WHATWG parser drops tabs and line breaks and percent-encodes what remains unsafe. */
function uri(value: string): string {
  return new URL(value).href;
}

/** A UTC DATE-TIME (RFC 5545 3.3.5, form 2): `20261207T170000Z`, whole seconds. */
function utc(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError('not a valid date');
  return at.toISOString().replace(/\.\d{3}/, '').replace(/[-:]/g, '');
}

/**
 * Folds one content line (RFC 5545 3.1): breaks before the character that would take it past 75 octets of UTF-8,
 * each continuation starting with a space that counts towards its 75. It iterates code points, so neither a
 * multi-byte character nor a surrogate pair is split.
 */
function fold(line: string): string {
  if (Buffer.byteLength(line) <= MAX_OCTETS) return `${line}\r\n`;
  let out = '';
  let width = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (width + size > MAX_OCTETS) {
      out += '\r\n ';
      width = 1;
    }
    out += ch;
    width += size;
  }
  return `${out}\r\n`;
}

/** One VEVENT, folded and CRLF-terminated; `domain` qualifies the UID as in `icsCalendar`. */
export function icsEvent(event: IcsEvent, domain: string): string {
  if (!(event.end.getTime() > event.start.getTime())) throw new RangeError(`event ${event.uid} does not end after it starts`);
  const sequence = event.sequence;
  if (sequence !== undefined && !(Number.isSafeInteger(sequence) && sequence >= 0)) {
    throw new RangeError(`event ${event.uid}: sequence must be a whole number ≥ 0`);
  }
  const lines = [
    'BEGIN:VEVENT',
    `UID:${text(`${event.uid}@${domain}`)}`,
    `DTSTAMP:${utc(event.stamp)}`,
    `DTSTART:${utc(event.start)}`,
    `DTEND:${utc(event.end)}`,
    ...(sequence === undefined ? [] : [`SEQUENCE:${sequence}`]),
    `SUMMARY:${text(event.summary)}`,
    ...(event.location === undefined ? [] : [`LOCATION:${text(event.location)}`]),
    ...(event.description === undefined ? [] : [`DESCRIPTION:${text(event.description)}`]),
    ...(event.url === undefined ? [] : [`URL:${uri(event.url)}`]),
    ...(event.status === undefined ? [] : [`STATUS:${event.status}`]),
    `TRANSP:${event.transparent ? 'TRANSPARENT' : 'OPAQUE'}`,
    'END:VEVENT',
  ];
  return lines.map(fold).join('');
}

/**
 * A whole calendar (METHOD:PUBLISH: a feed or a download, not an invitation). With no events it is still written:
 * RFC 5545 asks for at least one component, but an empty feed is what a quiet resource has, and clients accept it.
 */
export function icsCalendar(opts: IcsCalendarOptions): string {
  const head = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Medborg//Medborg//SV',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...(opts.name === undefined ? [] : [`X-WR-CALNAME:${text(opts.name)}`]),
  ];
  return head.map(fold).join('') + opts.events.map((e) => icsEvent(e, opts.domain)).join('') + fold('END:VCALENDAR');
}
