import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ICS_CONTENT_TYPE, icsCalendar, icsEvent, type IcsEvent } from './ical.ts';

const DOMAIN = 'norrby.medborg.se';
const event = (over: Partial<IcsEvent> = {}): IcsEvent => ({
  uid: 'booking-1',
  start: new Date('2026-12-07T17:00:00Z'),
  end: new Date('2026-12-07T18:30:00Z'),
  summary: 'Stora salen',
  stamp: new Date('2026-12-01T09:15:00Z'),
  ...over,
});
const calendar = (events: IcsEvent[], name?: string) => icsCalendar({ domain: DOMAIN, events, ...(name === undefined ? {} : { name }) });

// A reader as small as the format: unfold (RFC 5545 3.1), split into content lines, then into components.
const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '');
const contentLines = (ics: string) => unfold(ics).split('\r\n').slice(0, -1);
const unescapeText = (v: string) => v.replace(/\\([\\;,nN])/g, (_, c: string) => (c.toLowerCase() === 'n' ? '\n' : c));
interface Component { name: string; props: [string, string][]; children: Component[] }
function parse(ics: string): Component {
  const stack: Component[] = [];
  let root: Component | undefined;
  for (const line of contentLines(ics)) {
    const m = /^([A-Z][A-Z0-9-]*)(;[^:]*)?:(.*)$/.exec(line);
    assert.ok(m, `not a content line: ${JSON.stringify(line)}`);
    const [, name, , value] = m as unknown as [string, string, string | undefined, string];
    if (name === 'BEGIN') {
      const c: Component = { name: value, props: [], children: [] };
      if (stack.length) stack.at(-1)!.children.push(c);
      else root = c;
      stack.push(c);
    } else if (name === 'END') {
      assert.equal(stack.pop()?.name, value, `END:${value} closes what BEGIN opened`);
    } else {
      assert.ok(stack.length, `property outside a component: ${line}`);
      stack.at(-1)!.props.push([name, value]);
    }
  }
  assert.equal(stack.length, 0, 'every component is closed');
  assert.ok(root);
  return root;
}
const prop = (c: Component, name: string) => {
  const found = c.props.filter(([n]) => n === name);
  assert.equal(found.length, 1, `exactly one ${name}`);
  return found[0]![1];
};
const has = (c: Component, name: string) => c.props.some(([n]) => n === name);

test('the calendar has its header, one VEVENT per event with the required properties, and nothing outside', () => {
  const cal = parse(calendar([event({ uid: 'a' }), event({ uid: 'b', status: 'TENTATIVE' }), event({ uid: 'c' })], 'Stora salen'));
  assert.equal(cal.name, 'VCALENDAR');
  assert.equal(prop(cal, 'VERSION'), '2.0');
  assert.equal(prop(cal, 'PRODID'), '-//Medborg//Medborg//SV');
  assert.equal(prop(cal, 'CALSCALE'), 'GREGORIAN');
  assert.equal(prop(cal, 'METHOD'), 'PUBLISH');
  assert.equal(prop(cal, 'X-WR-CALNAME'), 'Stora salen');
  assert.deepEqual(cal.children.map((c) => c.name), ['VEVENT', 'VEVENT', 'VEVENT']);
  assert.deepEqual(cal.children.map((c) => prop(c, 'UID')), ['a@norrby.medborg.se', 'b@norrby.medborg.se', 'c@norrby.medborg.se']);
  for (const e of cal.children) for (const name of ['DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY', 'TRANSP']) prop(e, name);
  assert.equal(prop(cal.children[1]!, 'STATUS'), 'TENTATIVE');
  assert.equal(has(cal.children[0]!, 'STATUS'), false);
  assert.equal(has(parse(calendar([])), 'X-WR-CALNAME'), false, 'no name, no X-WR-CALNAME');
  assert.equal(ICS_CONTENT_TYPE, 'text/calendar; charset=utf-8');
});

test('every line ends with CRLF, the last one too, and there is no bare CR or LF', () => {
  const ics = calendar([event({ description: 'rad ett\nrad två\r\nrad tre\rslut', summary: 'x'.repeat(200) })], 'Namn');
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.equal(ics.replace(/\r\n/g, '').search(/[\r\n]/), -1);
});

test('times are UTC date-times in whole seconds; the optional properties are written as given', () => {
  const [e] = parse(calendar([event({ start: new Date('2026-03-29T00:59:59.999Z'), sequence: 3, transparent: true, location: 'Kulturhuset', url: 'https://norrby.medborg.se/bokning/1' })])).children;
  assert.equal(prop(e!, 'DTSTART'), '20260329T005959Z');
  assert.equal(prop(e!, 'DTEND'), '20261207T183000Z');
  assert.equal(prop(e!, 'DTSTAMP'), '20261201T091500Z');
  assert.equal(prop(e!, 'SEQUENCE'), '3');
  assert.equal(prop(e!, 'TRANSP'), 'TRANSPARENT');
  assert.equal(prop(e!, 'LOCATION'), 'Kulturhuset');
  assert.equal(prop(e!, 'URL'), 'https://norrby.medborg.se/bokning/1');
  const [plain] = parse(calendar([event()])).children;
  assert.equal(prop(plain!, 'TRANSP'), 'OPAQUE');
  for (const name of ['SEQUENCE', 'LOCATION', 'DESCRIPTION', 'URL']) assert.equal(has(plain!, name), false, name);
});

test('a cancelled booking has STATUS:CANCELLED', () => {
  const [e] = parse(calendar([event({ status: 'CANCELLED', sequence: 1 })])).children;
  assert.equal(prop(e!, 'STATUS'), 'CANCELLED');
  assert.equal(prop(e!, 'SEQUENCE'), '1');
});

test('TEXT values escape backslash, semicolon, comma and line breaks, and read back unchanged', () => {
  const summary = 'Möte; rum 3, plan 2 \\ C:\\temp\nrad två';
  const [e] = parse(calendar([event({ summary, description: 'a\r\nb\rc' })])).children;
  assert.equal(prop(e!, 'SUMMARY'), 'Möte\\; rum 3\\, plan 2 \\\\ C:\\\\temp\\nrad två');
  assert.equal(unescapeText(prop(e!, 'SUMMARY')), summary);
  assert.equal(prop(e!, 'DESCRIPTION'), 'a\\nb\\nc', 'CRLF is one line break, not two');
  assert.equal(prop(e!, 'UID'), 'booking-1@norrby.medborg.se');
});

test('a line break in any value cannot start a property: a hostile summary stays one SUMMARY', () => {
  const evil = 'x\r\nATTENDEE:mailto:evil@example.com';
  const ics = icsCalendar({
    name: evil,
    domain: `${DOMAIN}\nX-EVIL:1`,
    events: [event({ uid: evil, summary: evil, location: evil, description: `${evil}\nEND:VEVENT`, url: `https://x.se/${evil}` })],
  });
  const lines = contentLines(ics);
  assert.equal(lines.filter((l) => /^(ATTENDEE|X-EVIL|END:VEVENT)/.test(l)).length, 1, 'only the real END:VEVENT');
  const cal = parse(ics);
  const e = cal.children[0]!;
  assert.equal(unescapeText(prop(e, 'SUMMARY')), 'x\nATTENDEE:mailto:evil@example.com');
  assert.equal(unescapeText(prop(cal, 'X-WR-CALNAME')), 'x\nATTENDEE:mailto:evil@example.com');
  assert.equal(prop(e, 'URL'), 'https://x.se/xATTENDEE:mailto:evil@example.com', 'the URL parser drops the line break');
  assert.equal(has(e, 'ATTENDEE'), false);
  // Other control characters are not TEXT at all.
  const [bell] = parse(calendar([event({ summary: 'a\u0000b\u0007c\td\u007f' })])).children;
  assert.equal(prop(bell!, 'SUMMARY'), 'abc\td');
});

test('lines fold at 75 octets of UTF-8, never inside a character, and unfold to the same text', () => {
  // "SUMMARY:" is 8 octets; 66 more make 74, so an "å" (2 octets) would end at 76 and must begin the next line.
  const edge = `${'a'.repeat(66)}åäö`;
  const edgeLines = icsEvent(event({ summary: edge }), DOMAIN).split('\r\n');
  const i = edgeLines.findIndex((l) => l.startsWith('SUMMARY:'));
  assert.equal(Buffer.byteLength(edgeLines[i]!), 74);
  assert.equal(edgeLines[i + 1], ' åäö');
  // Exactly 75 octets is not folded; 76 is.
  assert.ok(icsEvent(event({ summary: 'a'.repeat(67) }), DOMAIN).includes(`\r\nSUMMARY:${'a'.repeat(67)}\r\nTRANSP:`));
  assert.ok(icsEvent(event({ summary: 'a'.repeat(68) }), DOMAIN).includes(`\r\nSUMMARY:${'a'.repeat(67)}\r\n a\r\nTRANSP:`));

  const summary = 'Bokning av Ärlingsgårdens övningslokal för Söderå körsällskap, vårterminens återträff med äventyrsövningar 🎶 och fika på gräsmattan';
  for (let shift = 0; shift < 4; shift++) {
    const long = 'å'.repeat(shift) + summary;
    const ics = calendar([event({ summary: long, description: long.repeat(3) })], long);
    for (const line of ics.split('\r\n')) {
      assert.ok(Buffer.byteLength(line) <= 75, `${Buffer.byteLength(line)} octets: ${line}`);
      assert.equal(Buffer.from(line, 'utf8').toString('utf8'), line, 'no surrogate pair split');
    }
    const [e] = parse(ics).children;
    assert.equal(unescapeText(prop(e!, 'SUMMARY')), long);
    assert.equal(unescapeText(prop(e!, 'DESCRIPTION')), long.repeat(3));
  }
});

test('an event that does not end after it starts, a bad date or a bad sequence is refused', () => {
  assert.throws(() => icsEvent(event({ end: new Date('2026-12-07T17:00:00Z') }), DOMAIN), RangeError);
  assert.throws(() => icsEvent(event({ stamp: new Date('nonsense') }), DOMAIN), RangeError);
  assert.throws(() => icsEvent(event({ sequence: -1 }), DOMAIN), RangeError);
  assert.throws(() => icsEvent(event({ sequence: 1.5 }), DOMAIN), RangeError);
});
