-- The watch over 终本 cases (法〔2016〕373号 art. 16; domain/cases/conclusionWatch.ts): when the next round falls due,
-- each round's inquiries and what they found new.
ALTER TYPE "InquiryTrigger" ADD VALUE 'CONCLUSION_WATCH';

CREATE TABLE "conclusion_watch" (
    "case_id" UUID NOT NULL,
    "concluded_on" DATE NOT NULL,
    "last_round" INTEGER NOT NULL DEFAULT 0,
    "next_round" INTEGER,
    "next_due_on" DATE,
    "resumable_since" TIMESTAMPTZ(3),
    "second_fruitless_on" DATE,

    CONSTRAINT "conclusion_watch_pkey" PRIMARY KEY ("case_id")
);

CREATE INDEX "conclusion_watch_next_due_on_idx" ON "conclusion_watch"("next_due_on");

ALTER TABLE "conclusion_watch" ADD CONSTRAINT "conclusion_watch_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TABLE "reinquiry" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "due_on" DATE NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "started_by" TEXT NOT NULL,
    "inquiry_ids" TEXT[] NOT NULL,
    "settled_at" TIMESTAMPTZ(3),
    "new_asset_ids" TEXT[] NOT NULL DEFAULT '{}',

    CONSTRAINT "reinquiry_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "reinquiry_case_id_round_key" ON "reinquiry"("case_id", "round");

ALTER TABLE "reinquiry" ADD CONSTRAINT "reinquiry_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Preservation becoming enforcement (民诉法解释 art. 168): the 执 case names the 执保 case whose measures it carries,
-- and each carried measure its former case and when it was carried over.
ALTER TABLE "enforcement_case" ADD COLUMN "preservation_case_id" UUID;

CREATE UNIQUE INDEX "enforcement_case_preservation_case_id_key" ON "enforcement_case"("preservation_case_id");

ALTER TABLE "enforcement_case" ADD CONSTRAINT "enforcement_case_preservation_case_id_fkey" FOREIGN KEY ("preservation_case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

ALTER TABLE "measure" ADD COLUMN "carried_from_case_id" UUID,
ADD COLUMN "carried_over_at" TIMESTAMPTZ(3);

-- Identities courts meet: which document the debtor's number is, the number as the court gave it when the hub
-- stored another (an old 15-digit ID converted), and a foreigner's nationality (ICAO code).
ALTER TABLE "debtor" ADD COLUMN "id_kind" TEXT,
ADD COLUMN "original_id_number" TEXT,
ADD COLUMN "nationality" TEXT;
