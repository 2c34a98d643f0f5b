-- The values a handler has given on a decision form (issue 8, item 17; docs/adr/0027): kept between
-- the form, its preview and the "check and send" page, and when the handler leaves and comes back,
-- without any node keeping them in memory. One row per case, action and member of staff; removed
-- when the action is taken, ignored (and removed by the next save) after a week. The decision itself
-- is never read from here: sending posts the values the check page showed.
CREATE TABLE decision_drafts (
  tenant_id text NOT NULL,
  case_id uuid NOT NULL,
  action_id text NOT NULL,
  staff_id uuid NOT NULL,
  type_id text NOT NULL,
  field_values jsonb NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, case_id, action_id, staff_id),
  FOREIGN KEY (tenant_id, case_id) REFERENCES cases (tenant_id, id) ON DELETE CASCADE
);
