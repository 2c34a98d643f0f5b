import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkBookingRules, checkBookingService } from './booking-checks.ts';
import type { BookingRules, RegisterEntry } from './types.ts';

const open: BookingRules = { opening: { mon: [['08:00', '12:00'], ['13:00', '24:00']] }, slotMinutes: 60 };
const messages = (p: { path: string; message: string }[]) => p.map((x) => `${x.path}: ${x.message}`);

test('sound rules pass: intervals in order, up to midnight, real dates, one way of sizing a booking', () => {
  assert.deepEqual(checkBookingRules({ ...open, exceptions: [{ from: '2027-12-24', to: '2027-12-26' }, { from: '2028-02-29', hours: [['10:00', '14:00']] }] }, '/r'), []);
});

test('rules a schema cannot judge are refused with the place and the reason', () => {
  const problems = messages(
    checkBookingRules(
      {
        opening: { mon: [['12:00', '08:00']], tue: [['08:00', '12:00'], ['11:00', '14:00']] },
        exceptions: [{ from: '2027-02-30' }, { from: '2027-12-26', to: '2027-12-24' }],
        slotMinutes: 60,
        minMinutes: 30,
      },
      '/booking/rules',
    ),
  );
  assert.deepEqual(problems, [
    '/booking/rules/opening/mon/0: the interval 12:00–08:00 must end after it starts',
    '/booking/rules/opening/tue/1: the interval 11:00–14:00 overlaps or comes before 08:00–12:00: list them in order',
    '/booking/rules/exceptions/0/from: "2027-02-30" is not a date',
    '/booking/rules/exceptions/1/to: the exception ends (2027-12-24) before it starts (2027-12-26)',
    '/booking/rules/slotMinutes: fixed slots (slotMinutes) or a free length (minMinutes, maxMinutes, stepMinutes), not both',
  ]);
  assert.deepEqual(messages(checkBookingRules({ minMinutes: 120, maxMinutes: 60 }, '')), ['/maxMinutes: must not be less than minMinutes (120)']);
});

test('a book service names a register with bookable entries, each open some time; the engine and the section go together', () => {
  const entries: RegisterEntry[] = [
    { id: 'hallen', name: 'Norrbyhallen', bookable: { kind: 'hall' } },
    { id: 'planen', name: 'Norrby IP', bookable: { kind: 'pitch', opening: { sat: [['09:00', '17:00']] } } },
    { id: 'kontoret', name: 'Kontoret' },
  ];
  const registers = new Map([['halls', { entries }], ['schools', { entries: [{ id: 'x', name: 'X' }] }]]);
  assert.deepEqual(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: open } }, registers), []);
  // Without the service's hours, the hall has none; the pitch has its own.
  assert.deepEqual(messages(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: { slotMinutes: 60 } } }, registers)), [
    '/booking/rules/opening: "hallen" of "halls" is never open: give it or the service opening hours',
  ]);
  assert.deepEqual(messages(checkBookingService({ engines: ['book'], booking: { resources: 'pools', rules: open } }, registers)), ['/booking/resources: "pools" is not a register of the municipality']);
  assert.deepEqual(messages(checkBookingService({ engines: ['book'], booking: { resources: 'schools', rules: open } }, registers)), ['/booking/resources: the register "schools" has no entry with bookable:']);
  assert.deepEqual(messages(checkBookingService({ engines: ['book'] }, registers)), ['/booking: a service with the engine book says what it books: booking.resources and booking.rules']);
  assert.deepEqual(messages(checkBookingService({ engines: ['apply'], booking: { resources: 'halls', rules: open } }, registers)), ['/engines: a service with a booking section has the engine book']);
  assert.deepEqual(checkBookingService({ engines: ['apply'] }, registers), []);
});

test('the state a cancelled booking moves its case to must be a state of the workflow', () => {
  const workflow = { states: [{ id: 'upcoming' }, { id: 'called_off' }] };
  const registers = new Map([['halls', { entries: [{ id: 'hallen', name: 'Norrbyhallen', bookable: { kind: 'hall' } }] as RegisterEntry[] }]]);
  assert.deepEqual(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: open, cancelledState: 'called_off' }, workflow }, registers), []);
  assert.deepEqual(messages(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: open, cancelledState: 'gone' }, workflow }, registers)), ['/booking/cancelledState: "gone" is not a state of the workflow']);
});

test('a reminder before each booking is for bookings one makes; a seasonal service sends none before every weekly time', () => {
  const workflow = { initial: 'applied', states: [{ id: 'applied' }, { id: 'allocated' }, { id: 'refused' }] };
  const registers = new Map([['halls', { entries: [{ id: 'hallen', name: 'Norrbyhallen', bookable: { kind: 'hall' } }] as RegisterEntry[] }]]);
  assert.deepEqual(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: open, reminder: { hoursBefore: 24 } }, workflow }, registers), []);
  const season = { periods: [{ id: 'autumn', label: { sv: 'Hösten', en: 'Autumn' }, from: '08-16', to: '12-20', applyBy: '05-31' }], allocatedState: 'allocated', refusedState: 'refused' };
  assert.deepEqual(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: open, season }, workflow }, registers), []);
  assert.deepEqual(messages(checkBookingService({ engines: ['book'], booking: { resources: 'halls', rules: open, season, reminder: { hoursBefore: 24 } }, workflow }, registers)), [
    '/booking/reminder: a seasonal service sends no reminder before each weekly time',
  ]);
});
