-- The inbox's orders (issue 8: received, due, reference, state; cases/inbox-sort.ts) each read one
-- department's cases in order with a LIMIT, and page on from the last row's key: one index per order,
-- walked forwards or backwards. `npm run bench:inbox` prints the query times and plans on 100,000 cases.
-- Received already has cases_inbox (tenant_id, department, created_at DESC, id DESC).
-- Due: a case without a due date sorts as due last (the order is (due_at IS NULL), due_at, id).
CREATE INDEX cases_inbox_by_due ON cases (tenant_id, department, (due_at IS NULL), due_at, id);
CREATE INDEX cases_inbox_by_reference ON cases (tenant_id, department, reference, id);
CREATE INDEX cases_inbox_by_state ON cases (tenant_id, department, status, id);
-- The search (part of a reference or a name, in any case) reads the names once per query as a hashed
-- subplan: about 150 ms on 100,000 cases on a 2-core machine. A B-tree cannot serve a pattern with a
-- leading %; a trigram index (pg_trgm) could, but PGlite does not ship it (docs/adr/0024).
-- The audit log's filter by member of staff (issue 8), newest first, paged by key.
CREATE INDEX audit_log_by_staff ON audit_log (tenant_id, staff_id, at DESC, id DESC);
