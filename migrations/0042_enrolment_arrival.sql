-- A waiting list's order is the order enrolments arrived in (ADR 0038): a number from a sequence,
-- not the clock — two enrolments in one millisecond (or under a test's fixed clock) still keep
-- their order, and nobody is moved up before someone who came first.
ALTER TABLE booking_enrolments ADD COLUMN arrival bigserial;
DROP INDEX booking_enrolments_waiting;
CREATE INDEX booking_enrolments_waiting ON booking_enrolments (tenant_id, resource_id, starts_at, arrival) WHERE waiting_since IS NOT NULL;
