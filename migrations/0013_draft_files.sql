-- Files given as answers to a form's file questions (docs/adr/0017-file-field.md). A file is kept
-- per draft until the draft is submitted — then its row becomes an attachment of the case (same id,
-- same blob) in the statement that creates the case — or until the draft expires, when the purge
-- job deletes the blob and then the row. The draft's answers list the files by id (what the
-- resident reads: name, type, size); this table holds what only the server needs.
CREATE TABLE draft_files (
  tenant_id text NOT NULL,
  id uuid NOT NULL,
  draft_id uuid NOT NULL,
  field_id text NOT NULL,
  filename text NOT NULL,
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  blob_key text NOT NULL,
  created_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, id),
  -- No cascade: a draft's files are deleted by code that deletes their blobs first (draft-files.ts),
  -- so a draft deleted any other way is refused rather than leaving blobs nobody names.
  FOREIGN KEY (tenant_id, draft_id) REFERENCES drafts (tenant_id, id)
);
CREATE INDEX draft_files_by_draft ON draft_files (tenant_id, draft_id);
