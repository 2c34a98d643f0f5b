/**
 * The booking engine (ADR 0038): bookable resources from the catalogue's registers, which times they
 * can be booked, and bookings that the database keeps from ever overlapping (claims.ts) or taking
 * more seats than there are (seats.ts). It names no service, resource or kind.
 */

export { availability, nearestFree, occupying, requestProblem, resolveRules, slotsOn, type DayAvailability, type RequestProblem, type ResolvedRules, type Slot, type SlotState, type Span } from './availability.ts';
export { book, bookingById, bookingsOfCase, bookingTransaction, confirmPaid, endBooking, heldBetween, TimeTakenError, type Booking, type BookingStatus, type NewBooking, type PaidOutcome } from './claims.ts';
export { enrol, leave, seatsOf, setCapacity, type Enrolment } from './seats.ts';
export { addDays, formatDay, formatSpan, instantOf, localDate, localTime, mondayOf, ZONE } from './time.ts';
export { icsCalendar, ICS_CONTENT_TYPE, type IcsEvent } from './ical.ts';
export { bookingStep } from './step.tsx';
export { seasonal, seasonStep } from './season-step.tsx';
export { attachRequestsToCase, insertRequests, openSeasons, staffSeasons, type Season } from './seasons.ts';
export { seasonCaseExtension } from './season-case.tsx';
export { seasonStaffPlugin, STAFF_SEASONS } from './season-staff.tsx';
export { bookingPlugin, bookingCaseExtension } from './plugin.tsx';
export { bookingStaffPlugin, bookingsHomeSection } from './staff.tsx';

export { resourcesOf, weekOf, type Resource } from './resources.ts';
export { remindBookings, type ReminderApp } from './reminders.ts';
