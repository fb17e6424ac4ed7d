-- Leads of workflows/lead-intake-postgres.json: one row per form submission.
-- Run once in the database the workflow's Postgres credential connects to, e.g.
--   psql "postgresql://user:password@host:5432/mydb" -f workflows/leads.sql
-- Safe to run again (it creates only what is missing).
--
-- status: pending  stored, not yet in amoCRM (the retry sends it)
--         syncing  contact in amoCRM, deal being created (deal_id is saved the moment it exists)
--         synced   contact, deal (and note) in amoCRM
--         failed   amoCRM refused or was unreachable: see error; the retry sends it again
--         check    n8n stopped between creating a deal and saving its ID: check amoCRM by hand,
--                  then set status to 'failed' (send again) or 'synced'

CREATE TABLE IF NOT EXISTS amocrm_leads (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name        text        NOT NULL,
  phone       text        NOT NULL,
  email       text        NOT NULL DEFAULT '',
  source      text        NOT NULL DEFAULT '',
  message     text        NOT NULL DEFAULT '',
  product_id  text        NOT NULL DEFAULT '',
  status      text        NOT NULL DEFAULT 'pending'
              CHECK (status IN ('pending', 'syncing', 'synced', 'failed', 'check')),
  attempts    integer     NOT NULL DEFAULT 0,
  contact_id  bigint,
  deal_id     bigint,
  deal_url    text,
  note_id     bigint,
  error       text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- What the retry reads every 10 minutes.
CREATE INDEX IF NOT EXISTS amocrm_leads_unsynced
  ON amocrm_leads (updated_at)
  WHERE status IN ('pending', 'failed', 'syncing');
