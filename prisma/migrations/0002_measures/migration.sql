-- CreateEnum
CREATE TYPE "MeasureStatus" AS ENUM ('REQUESTED', 'EFFECTIVE', 'QUEUED', 'REFUSED', 'FAILED', 'RELEASED', 'LAPSED');

-- AlterTable
ALTER TABLE "agency_request" ADD COLUMN     "measure_id" UUID;

-- CreateTable
CREATE TABLE "measure" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "asset_id" UUID,
    "agency_kind" TEXT NOT NULL,
    "endpoint_key" TEXT NOT NULL,
    "asset_identifier" TEXT NOT NULL,
    "asset_category" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "value" DECIMAL(18,2) NOT NULL,
    "starts_on" DATE NOT NULL,
    "expires_on" DATE NOT NULL,
    "status" "MeasureStatus" NOT NULL,
    "rank" INTEGER,
    "effective_from" TIMESTAMPTZ(3),
    "agency_reference" TEXT,
    "notice_number" TEXT NOT NULL,
    "decision" JSONB NOT NULL,
    "override_reason" TEXT,
    "ordered_by" TEXT NOT NULL,
    "apply_request_id" UUID NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "lapsed_at" TIMESTAMPTZ(3),
    "warned_days" INTEGER[] DEFAULT ARRAY[]::INTEGER[],
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "measure_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "measure_apply_request_id_key" ON "measure"("apply_request_id");

-- CreateIndex
CREATE INDEX "measure_case_id_created_at_idx" ON "measure"("case_id", "created_at");

-- CreateIndex
CREATE INDEX "measure_status_expires_on_idx" ON "measure"("status", "expires_on");

-- CreateIndex
CREATE UNIQUE INDEX "measure_case_id_agency_kind_asset_identifier_kind_notice_nu_key" ON "measure"("case_id", "agency_kind", "asset_identifier", "kind", "notice_number");

-- AddForeignKey
ALTER TABLE "measure" ADD CONSTRAINT "measure_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

