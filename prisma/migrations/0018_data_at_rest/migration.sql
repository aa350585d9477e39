-- Personal data and secrets sealed at rest (gateway/persistence/dataCipher.ts). SQL cannot seal (the keys never
-- reach the database), so this migration only adds the lookup digests and moves uniqueness and search onto them;
-- the hub seals the rows still in plain text right after the migrations, under the same lock
-- (gateway/persistence/dataAtRest.ts), before it serves anything.

-- Lookup digests (HMAC-SM3 of the ID number): what equality, joins and uniqueness use, since sealing is randomised.
ALTER TABLE "debtor" ADD COLUMN "id_digest" TEXT;
DROP INDEX "debtor_case_id_id_number_key";
DROP INDEX "debtor_id_number_idx";
CREATE UNIQUE INDEX "debtor_case_id_id_digest_key" ON "debtor"("case_id", "id_digest");
CREATE INDEX "debtor_id_digest_idx" ON "debtor"("id_digest");

ALTER TABLE "sanction_entry" ADD COLUMN "id_digest" TEXT;
DROP INDEX "sanction_entry_id_number_idx";
CREATE INDEX "sanction_entry_id_digest_idx" ON "sanction_entry"("id_digest");

ALTER TABLE "sanction_change" ADD COLUMN "id_digest" TEXT;
DROP INDEX "sanction_change_id_number_debtor_seq_key";
CREATE UNIQUE INDEX "sanction_change_id_digest_debtor_seq_key" ON "sanction_change"("id_digest", "debtor_seq");

-- The push outbox orders a debtor's changes: it needs only the digest, never the number.
ALTER TABLE "sanction_delivery" RENAME COLUMN "id_number" TO "id_digest";
ALTER INDEX "sanction_delivery_id_number_partner_code_change_seq_idx" RENAME TO "sanction_delivery_id_digest_partner_code_change_seq_idx";

-- Raw agency replies past their retention are removed (capabilities/peering/exchangeRetention.ts), oldest first.
CREATE INDEX "agency_request_finished_at_idx" ON "agency_request"("finished_at");
