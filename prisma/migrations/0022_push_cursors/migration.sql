-- Push partners read the change log by their own cursor; sanction_delivery keeps only held-back and dead changes.
CREATE TABLE "sanction_push_cursor" (
    "partner_code" TEXT NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,
    "removal_seq" BIGINT NOT NULL DEFAULT 0,
    "snapshot_cut" BIGINT,
    "snapshot_id_number" TEXT,
    "snapshot_debtor_seq" INTEGER,
    "batch_id" UUID,
    "batch_seqs" BIGINT[] DEFAULT ARRAY[]::BIGINT[],
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "sanction_push_cursor_pkey" PRIMARY KEY ("partner_code")
);

CREATE INDEX "sanction_change_operation_seq_idx" ON "sanction_change"("operation", "seq");

-- Old data: every change in the log is either acknowledged or still has its outbox row, so each push partner's
-- cursors start at the end of the log and its outbox rows stay as held-back rows (PENDING), sent in seq order
-- per debtor ahead of that debtor's later changes; dead rows stay dead. Leases of the old claims are dropped.
INSERT INTO "sanction_push_cursor" ("partner_code", "seq", "removal_seq")
SELECT p."code", l."last", l."last"
  FROM "sanction_partner" p, (SELECT coalesce(max("seq"), 0) AS "last" FROM "sanction_change") l
 WHERE p."mode" = 'PUSH';

UPDATE "sanction_delivery" SET "lease_owner" = NULL, "lease_until" = NULL, "batch_id" = NULL WHERE "status" <> 'DEAD';
