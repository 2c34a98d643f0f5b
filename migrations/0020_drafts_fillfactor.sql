-- Drafts are updated at every answered step. A save within one day keeps the row's expiry
-- (forms/drafts.repository.ts: draftExpiry), so it changes no indexed column and PostgreSQL can
-- update it in place (HOT) when the row's page has room: leave a quarter of each page free for
-- that. New pages only; existing ones get it as rows move. (ADR 0019)
ALTER TABLE drafts SET (fillfactor = 75);
