-- CreateEnum
CREATE TYPE "DelegatedTaskStatus" AS ENUM ('SENT', 'RECEIVED', 'ACCEPTED', 'COMPLETED', 'RETURNED', 'REJECTED', 'WITHDRAWN');

-- DropForeignKey
ALTER TABLE "asset" DROP CONSTRAINT "asset_agency_request_id_fkey";

-- AlterTable
ALTER TABLE "asset" ADD COLUMN     "delegated_task_id" UUID,
ALTER COLUMN "agency_request_id" DROP NOT NULL;

-- CreateTable
CREATE TABLE "delegated_task" (
    "id" UUID NOT NULL,
    "case_id" UUID,
    "debtor_id" UUID,
    "case_number" TEXT NOT NULL,
    "debtor_kind" "DebtorKind" NOT NULL,
    "debtor_id_number" TEXT NOT NULL,
    "debtor_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" "DelegatedTaskStatus" NOT NULL,
    "instructions" TEXT NOT NULL,
    "delegating_court" TEXT NOT NULL,
    "target_court" TEXT NOT NULL,
    "division_code" TEXT,
    "peer_hub" TEXT,
    "delegated_by" TEXT NOT NULL,
    "results" JSONB,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3),
    "accepted_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    "alerts_sent" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delegated_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delegated_task_step" (
    "id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "status" "DelegatedTaskStatus" NOT NULL,
    "actor_court" TEXT NOT NULL,
    "actor_officer" TEXT NOT NULL,
    "reason" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delegated_task_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delegated_task_document" (
    "id" UUID NOT NULL,
    "task_id" UUID NOT NULL,
    "step_seq" INTEGER NOT NULL,
    "sent_by" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sm3" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delegated_task_document_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "director_approval" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "province" TEXT NOT NULL,
    "approval_number" TEXT NOT NULL,
    "approved_on" DATE NOT NULL,
    "director" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "director_approval_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "delegated_task_case_id_created_at_idx" ON "delegated_task"("case_id", "created_at");

-- CreateIndex
CREATE INDEX "delegated_task_delegating_court_created_at_idx" ON "delegated_task"("delegating_court", "created_at");

-- CreateIndex
CREATE INDEX "delegated_task_target_court_created_at_idx" ON "delegated_task"("target_court", "created_at");

-- CreateIndex
CREATE INDEX "delegated_task_status_idx" ON "delegated_task"("status");

-- CreateIndex
CREATE UNIQUE INDEX "delegated_task_step_task_id_seq_key" ON "delegated_task_step"("task_id", "seq");

-- CreateIndex
CREATE INDEX "delegated_task_document_task_id_step_seq_idx" ON "delegated_task_document"("task_id", "step_seq");

-- CreateIndex
CREATE UNIQUE INDEX "director_approval_case_id_province_approval_number_key" ON "director_approval"("case_id", "province", "approval_number");

-- CreateIndex
CREATE UNIQUE INDEX "asset_delegated_task_id_identifier_key" ON "asset"("delegated_task_id", "identifier");

-- AddForeignKey
ALTER TABLE "asset" ADD CONSTRAINT "asset_agency_request_id_fkey" FOREIGN KEY ("agency_request_id") REFERENCES "agency_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "asset" ADD CONSTRAINT "asset_delegated_task_id_fkey" FOREIGN KEY ("delegated_task_id") REFERENCES "delegated_task"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delegated_task" ADD CONSTRAINT "delegated_task_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delegated_task_step" ADD CONSTRAINT "delegated_task_step_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "delegated_task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "delegated_task_document" ADD CONSTRAINT "delegated_task_document_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "delegated_task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "director_approval" ADD CONSTRAINT "director_approval_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

