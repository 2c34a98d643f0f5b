-- Journal entries take their time from the database's clock, read under the case's row lock and
-- never earlier than the entry before them (the case's updated_at is its chain head's time), so a
-- chain is ordered in time whatever the nodes' clocks say. Entries written so took the writing
-- node's clock before, which could run backwards along a chain under concurrent actions. `version`
-- tells them apart for `medborg archive verify` (a time going backwards fails a version 2 entry and
-- only warns about a version 1 one); it is part of the hashed content, so it cannot be changed
-- unseen. Rows written before this migration, or by a node still on the old code, are version 1.
ALTER TABLE journal ADD COLUMN version smallint NOT NULL DEFAULT 1;
