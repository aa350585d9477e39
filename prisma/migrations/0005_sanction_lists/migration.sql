-- CreateEnum
CREATE TYPE "SanctionList" AS ENUM ('DISHONEST_DEBTOR', 'CONSUMPTION_RESTRICTION');

-- CreateEnum
CREATE TYPE "SanctionStatus" AS ENUM ('LISTED', 'REMOVED');

-- CreateTable
CREATE TABLE "sanction_entry" (
    "id" UUID NOT NULL,
    "list" "SanctionList" NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "id_number" TEXT NOT NULL,
    "court_code" TEXT NOT NULL,
    "status" "SanctionStatus" NOT NULL,
    "ground" TEXT,
    "decision_number" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "expires_on" DATE,
    "extension_years" INTEGER NOT NULL DEFAULT 0,
    "published" JSONB NOT NULL,
    "removal_reason" TEXT,
    "removed_on" DATE,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sanction_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "debtor_security" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "debtor_security_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sanction_change" (
    "seq" BIGSERIAL NOT NULL,
    "entry_id" UUID NOT NULL,
    "id_number" TEXT NOT NULL,
    "debtor_seq" INTEGER NOT NULL,
    "list" "SanctionList" NOT NULL,
    "operation" TEXT NOT NULL,
    "record" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sanction_change_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "sanction_partner" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "lists" TEXT[],
    "fields" TEXT[],
    "mode" TEXT NOT NULL,
    "endpoint" TEXT,
    "signing" TEXT NOT NULL,
    "secret" TEXT,
    "acked_seq" BIGINT NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sanction_partner_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "sanction_delivery" (
    "partner_code" TEXT NOT NULL,
    "change_seq" BIGINT NOT NULL,
    "id_number" TEXT NOT NULL,
    "priority" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "batch_id" UUID,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sanction_delivery_pkey" PRIMARY KEY ("partner_code","change_seq")
);

-- CreateIndex
CREATE INDEX "sanction_entry_id_number_idx" ON "sanction_entry"("id_number");

-- CreateIndex
CREATE INDEX "sanction_entry_status_expires_on_idx" ON "sanction_entry"("status", "expires_on");

-- CreateIndex
CREATE INDEX "sanction_entry_case_id_created_at_idx" ON "sanction_entry"("case_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "sanction_entry_case_id_debtor_id_list_decision_number_key" ON "sanction_entry"("case_id", "debtor_id", "list", "decision_number");

-- CreateIndex
CREATE INDEX "debtor_security_case_id_debtor_id_idx" ON "debtor_security"("case_id", "debtor_id");

-- CreateIndex
CREATE INDEX "sanction_change_entry_id_idx" ON "sanction_change"("entry_id");

-- CreateIndex
CREATE UNIQUE INDEX "sanction_change_id_number_debtor_seq_key" ON "sanction_change"("id_number", "debtor_seq");

-- CreateIndex
CREATE INDEX "sanction_delivery_partner_code_status_priority_change_seq_idx" ON "sanction_delivery"("partner_code", "status", "priority", "change_seq");

-- CreateIndex
CREATE INDEX "sanction_delivery_id_number_partner_code_change_seq_idx" ON "sanction_delivery"("id_number", "partner_code", "change_seq");

-- CreateIndex
CREATE INDEX "sanction_delivery_batch_id_idx" ON "sanction_delivery"("batch_id");

