-- AlterTable
ALTER TABLE "delegated_task" ADD COLUMN     "withdrawal_reason" TEXT,
ADD COLUMN     "withdrawal_refusal" TEXT,
ADD COLUMN     "withdrawal_refused_at" TIMESTAMPTZ(3),
ADD COLUMN     "withdrawal_requested_at" TIMESTAMPTZ(3),
ADD COLUMN     "withdrawal_requested_by" TEXT;

