-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CaseKind" AS ENUM ('ENFORCEMENT', 'RESUMED', 'PRESERVATION');

-- CreateEnum
CREATE TYPE "DebtorKind" AS ENUM ('PERSON', 'ORGANISATION');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('NATIONAL', 'LOCAL');

-- CreateEnum
CREATE TYPE "InquiryTrigger" AS ENUM ('REGISTRATION', 'ON_DEMAND');

-- CreateEnum
CREATE TYPE "AgencyRequestStatus" AS ENUM ('QUEUED', 'SENT', 'AWAITING', 'ANSWERED', 'REFUSED', 'FAILED', 'TIMED_OUT');

-- CreateTable
CREATE TABLE "enforcement_case" (
    "id" UUID NOT NULL,
    "case_number" TEXT NOT NULL,
    "year" INTEGER NOT NULL,
    "court_code" TEXT NOT NULL,
    "kind" "CaseKind" NOT NULL,
    "serial" INTEGER NOT NULL,
    "division_code" TEXT NOT NULL,
    "creditor_name" TEXT NOT NULL,
    "claim_amount" DECIMAL(18,2) NOT NULL,
    "registered_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enforcement_case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "debtor" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "kind" "DebtorKind" NOT NULL,
    "id_number" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sex" TEXT,
    "birth_date" DATE,

    CONSTRAINT "debtor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inquiry" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "trigger" "InquiryTrigger" NOT NULL,
    "purpose" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_org" TEXT NOT NULL,
    "open_parts" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "inquiry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agency_request" (
    "id" UUID NOT NULL,
    "inquiry_id" UUID,
    "operation" TEXT NOT NULL,
    "agency_kind" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "endpoint_key" TEXT NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "status" "AgencyRequestStatus" NOT NULL,
    "payload" JSONB NOT NULL,
    "ticket" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "deadline_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "raw_reply" TEXT,
    "reply_digest" TEXT,
    "findings" JSONB,

    CONSTRAINT "agency_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "asset" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "agency_request_id" UUID NOT NULL,
    "agency_kind" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "identifier" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "estimated_value" DECIMAL(18,2),
    "details" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "asset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_event" (
    "id" BIGSERIAL NOT NULL,
    "seq" BIGINT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_org" TEXT NOT NULL,
    "actor_officer" TEXT,
    "action" TEXT NOT NULL,
    "case_id" UUID,
    "debtor_id" UUID,
    "subject_id" TEXT,
    "purpose" TEXT,
    "sent_digest" TEXT,
    "reply_digest" TEXT,
    "detail" JSONB NOT NULL,
    "prev_hash" TEXT,
    "hash" TEXT,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_chain_head" (
    "id" INTEGER NOT NULL,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_chain_head_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "enforcement_case_case_number_key" ON "enforcement_case"("case_number");

-- CreateIndex
CREATE INDEX "enforcement_case_court_code_created_at_idx" ON "enforcement_case"("court_code", "created_at");

-- CreateIndex
CREATE INDEX "debtor_id_number_idx" ON "debtor"("id_number");

-- CreateIndex
CREATE UNIQUE INDEX "debtor_case_id_id_number_key" ON "debtor"("case_id", "id_number");

-- CreateIndex
CREATE INDEX "inquiry_case_id_created_at_idx" ON "inquiry"("case_id", "created_at");

-- CreateIndex
CREATE INDEX "agency_request_status_next_attempt_at_idx" ON "agency_request"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "agency_request_inquiry_id_idx" ON "agency_request"("inquiry_id");

-- CreateIndex
CREATE INDEX "agency_request_case_id_created_at_idx" ON "agency_request"("case_id", "created_at");

-- CreateIndex
CREATE INDEX "asset_case_id_debtor_id_idx" ON "asset"("case_id", "debtor_id");

-- CreateIndex
CREATE UNIQUE INDEX "asset_agency_request_id_identifier_key" ON "asset"("agency_request_id", "identifier");

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_seq_key" ON "audit_event"("seq");

-- CreateIndex
CREATE INDEX "audit_event_case_id_at_idx" ON "audit_event"("case_id", "at");

-- CreateIndex
CREATE INDEX "audit_event_seq_idx" ON "audit_event"("seq");

-- AddForeignKey
ALTER TABLE "debtor" ADD CONSTRAINT "debtor_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inquiry" ADD CONSTRAINT "inquiry_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "inquiry" ADD CONSTRAINT "inquiry_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agency_request" ADD CONSTRAINT "agency_request_inquiry_id_fkey" FOREIGN KEY ("inquiry_id") REFERENCES "inquiry"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "asset" ADD CONSTRAINT "asset_agency_request_id_fkey" FOREIGN KEY ("agency_request_id") REFERENCES "agency_request"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

