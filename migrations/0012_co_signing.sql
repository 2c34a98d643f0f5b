-- Co-signing (docs/adr/0016-co-signing.md). A co-applicant party (the other custodian, a co-owner,
-- a board member) answers a co-signing request before the case goes on into its workflow. The
-- answer lives on the party row (status, status_at, from migration 0009); this adds
--   'expired'   : the deadline passed with no answer (the deadline job's doing);
--   due_at      : when the request expires (the definition's deadlineDays from the submission);
--   status_reason: the co-signer's optional reason for rejecting.
-- One UPDATE ... WHERE status = 'pending' under the case's lock decides each request, so a
-- concurrent approve, reject and expiry give exactly one answer.
ALTER TABLE case_parties DROP CONSTRAINT case_parties_status_check;
ALTER TABLE case_parties ADD CONSTRAINT case_parties_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'expired'));
ALTER TABLE case_parties ADD COLUMN due_at timestamptz;
ALTER TABLE case_parties ADD COLUMN status_reason text CHECK (length(status_reason) BETWEEN 1 AND 2000);
ALTER TABLE case_parties ADD CONSTRAINT case_parties_due_only_co_applicant CHECK (due_at IS NULL OR role = 'co_applicant');
ALTER TABLE case_parties ADD CONSTRAINT case_parties_reason_only_rejected CHECK (status_reason IS NULL OR status = 'rejected');
-- The deadline job: pending requests past their deadline, in every tenant (one small index).
CREATE INDEX case_parties_pending_due ON case_parties (due_at) WHERE status = 'pending' AND due_at IS NOT NULL;
