-- AlterEnum: a measure whose order the agency has not answered by its deadline
ALTER TYPE "MeasureStatus" ADD VALUE 'UNCONFIRMED' AFTER 'REQUESTED';

-- AlterTable: honest counters of an agency request
ALTER TABLE "agency_request" ADD COLUMN     "lookups" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "failed_rounds" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tries" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterEnum: police assistance the police have not answered by its deadline
ALTER TYPE "PoliceAssistanceStatus" ADD VALUE 'UNCONFIRMED' AFTER 'REQUESTED';
