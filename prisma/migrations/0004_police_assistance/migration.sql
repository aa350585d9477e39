-- CreateEnum
CREATE TYPE "PoliceAssistanceStatus" AS ENUM ('REQUESTED', 'ACCEPTED', 'DONE', 'UNSUCCESSFUL', 'REFUSED', 'FAILED', 'LIFTED');

-- CreateTable
CREATE TABLE "police_assistance" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "PoliceAssistanceStatus" NOT NULL,
    "endpoint_key" TEXT NOT NULL,
    "target" TEXT NOT NULL DEFAULT '',
    "plate" TEXT,
    "restricted_from" DATE,
    "restricted_until" DATE,
    "lifts_id" UUID,
    "decision_number" TEXT NOT NULL,
    "decision" JSONB NOT NULL,
    "requested_by" TEXT NOT NULL,
    "request_id" UUID NOT NULL,
    "agency_reference" TEXT,
    "result" JSONB,
    "result_at" TIMESTAMPTZ(3),
    "report_checked_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "police_assistance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "police_assistance_request_id_key" ON "police_assistance"("request_id");

-- CreateIndex
CREATE INDEX "police_assistance_case_id_created_at_idx" ON "police_assistance"("case_id", "created_at");

-- CreateIndex
CREATE INDEX "police_assistance_status_updated_at_idx" ON "police_assistance"("status", "updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "police_assistance_case_id_debtor_id_kind_target_decision_nu_key" ON "police_assistance"("case_id", "debtor_id", "kind", "target", "decision_number");

-- AddForeignKey
ALTER TABLE "police_assistance" ADD CONSTRAINT "police_assistance_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "police_assistance" ADD CONSTRAINT "police_assistance_debtor_id_fkey" FOREIGN KEY ("debtor_id") REFERENCES "debtor"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

