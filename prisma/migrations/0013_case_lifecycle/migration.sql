-- The life of a case (domain/cases/caseLifecycle.ts): its status, every step with who, when and why, and the
-- original case a 执恢 case carries on.
CREATE TYPE "CaseStatus" AS ENUM ('IN_ENFORCEMENT', 'SUSPENDED', 'CONCLUDED', 'TERMINATED', 'CLOSED', 'SUPERSEDED');

ALTER TABLE "enforcement_case" ADD COLUMN "status" "CaseStatus" NOT NULL DEFAULT 'IN_ENFORCEMENT',
ADD COLUMN "original_case_id" UUID;

ALTER TABLE "enforcement_case" ADD CONSTRAINT "enforcement_case_original_case_id_fkey" FOREIGN KEY ("original_case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One 执恢 case carries an original case on; a second resumption finds it.
CREATE UNIQUE INDEX "enforcement_case_original_case_id_key" ON "enforcement_case"("original_case_id");

CREATE TABLE "case_step" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "from_status" "CaseStatus" NOT NULL,
    "to_status" "CaseStatus" NOT NULL,
    "actor_court" TEXT NOT NULL,
    "actor_officer" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "facts" JSONB NOT NULL DEFAULT '{}',
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_step_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "case_step_case_id_at_idx" ON "case_step"("case_id", "at");

ALTER TABLE "case_step" ADD CONSTRAINT "case_step_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
