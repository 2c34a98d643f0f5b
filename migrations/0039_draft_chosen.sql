-- What a step of another engine chose for a draft, before its questions (ADR 0039): the booking
-- engine's resource and time. Kept with the draft like its answers, and checked unchanged by the
-- statement that sends it.
ALTER TABLE drafts ADD COLUMN chosen jsonb;
