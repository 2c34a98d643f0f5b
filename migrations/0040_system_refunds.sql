-- A refund the system makes by itself (ADR 0040): a payment for a booking whose held time was taken
-- after its hold ran out is refunded in full, with no member of staff behind it and no case.
ALTER TABLE payment_refunds ALTER COLUMN requested_by DROP NOT NULL;
