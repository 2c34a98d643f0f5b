-- Reminders before a booking (docs/adr/0040, amended): a service's booking.reminder e-mails the booker
-- once, some hours before a confirmed booking starts. reminded_at is set in the same transaction as
-- the e-mail and the case's journal entry, under the case's lock, only where it is still NULL: one
-- reminder per booking however many nodes run the job. The partial index holds the confirmed
-- bookings not yet reminded, in start order, so the job reads only the next hours' of them.
ALTER TABLE bookings ADD COLUMN reminded_at timestamptz;
CREATE INDEX bookings_to_remind ON bookings (tenant_id, service_id, starts_at) WHERE status = 'booked' AND kind = 'booking' AND reminded_at IS NULL;
