-- The audit trail as evidence that survives its own database (docs/guide/audit.md).

-- Signed checkpoints: each replaces the sealed rows up to its seq once they were archived; verification starts
-- from the latest one, whose SM2 signature (the hub's key, kept outside the database) vouches for its hash.
CREATE TABLE "audit_checkpoint" (
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "signature" TEXT NOT NULL,
    "archived_rows" INTEGER NOT NULL,
    "archive" TEXT NOT NULL,

    CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("seq")
);

-- Audit heads other hubs signed and handed to this one as their witness; the first head received at a seq stays.
CREATE TABLE "audit_head_witness" (
    "hub_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    -- As signed: the signature covers this exact text.
    "at" TEXT NOT NULL,
    "signature" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_head_witness_pkey" PRIMARY KEY ("hub_id", "seq")
);

-- A partner's SM2 signer ID, when it agreed another than GB/T 35276's default with the hub.
ALTER TABLE "sanction_partner" ADD COLUMN "signer_id" TEXT;

-- A sealed row is never changed or removed: the sealer only fills in seq, prev_hash and hash of unsealed rows, and
-- only the archiver (audit_archive below) removes sealed rows, and only those a checkpoint already covers.
CREATE FUNCTION "audit_event_guard"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.seq IS NULL THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' AND current_setting('hub.audit_archiving', true) = 'on'
     AND OLD.seq <= (SELECT coalesce(max(seq), 0) FROM audit_checkpoint) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_event row seq % is sealed: % is refused (the audit trail is append-only)', OLD.seq, TG_OP
    USING ERRCODE = 'P0001', HINT = 'docs/guide/audit.md';
END;
$$;

CREATE TRIGGER "audit_event_sealed" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_event_guard"();

-- TRUNCATE of the trail, and any change of checkpoints and witnessed heads (evidence too): written once, never changed.
CREATE FUNCTION "audit_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused (written once, never changed)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_checkpoint_fixed" BEFORE UPDATE OR DELETE ON "audit_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_head_witness_fixed" BEFORE UPDATE OR DELETE ON "audit_head_witness"
  FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();

-- The one path that removes sealed rows: those up to a checkpoint, once it is recorded. SECURITY DEFINER, so that
-- where the hub connects as a role without DELETE on audit_event (docs/guide/audit.md) it still archives, through
-- this function only; the setting it raises lasts for its transaction and is what the guard above lets through.
CREATE FUNCTION "audit_archive"(upto BIGINT) RETURNS INTEGER LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE removed INTEGER;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM audit_checkpoint WHERE seq = upto) THEN
    RAISE EXCEPTION 'no audit checkpoint at seq %: archive only what a signed checkpoint covers', upto USING ERRCODE = 'P0001';
  END IF;
  PERFORM set_config('hub.audit_archiving', 'on', true);
  DELETE FROM audit_event WHERE seq IS NOT NULL AND seq <= upto;
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('hub.audit_archiving', 'off', true);
  RETURN removed;
END;
$$;
