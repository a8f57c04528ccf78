-- Extensions and helpers every later migration relies on.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

-- Keeps updated_at honest whatever statement touches a row.
CREATE OR REPLACE FUNCTION worlds_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.updated_at := now();
	RETURN NEW;
END;
$$;
