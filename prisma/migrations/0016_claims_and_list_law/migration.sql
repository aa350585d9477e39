-- What a case claims beyond the judgment's money debt (domain/claims/claimStatement.ts): the enforcement costs, the
-- judgment's dates the doubled interest runs from (民事诉讼法 2023 art. 264; 法释〔2014〕8号 art. 2), and the payments
-- received (art. 3: each part paid stops accruing on its day).
ALTER TABLE "enforcement_case" ADD COLUMN "costs" DECIMAL(18,2) NOT NULL DEFAULT 0,
ADD COLUMN "judgment_date" DATE,
ADD COLUMN "performance_deadline" DATE;

CREATE TABLE "case_payment" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "amount" DECIMAL(18,2) NOT NULL,
    "paid_on" DATE NOT NULL,
    "note" TEXT NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "case_payment_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "case_payment_case_id_paid_on_idx" ON "case_payment"("case_id", "paid_on");

ALTER TABLE "case_payment" ADD CONSTRAINT "case_payment_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "enforcement_case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- A settlement being performed (执行和解, 民事诉讼法 2023 art. 241): no listing for refusing to perform meanwhile
-- (失信规定 art. 3 item 4); breached_on once the debtor stops performing it.
CREATE TABLE "debtor_settlement" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "debtor_id" UUID NOT NULL,
    "agreed_on" DATE NOT NULL,
    "terms" TEXT NOT NULL,
    "breached_on" DATE,
    "recorded_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "debtor_settlement_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "debtor_settlement_case_id_debtor_id_idx" ON "debtor_settlement"("case_id", "debtor_id");

-- The law of the lists (domain/sanctions/): whether the entry was made on the creditor's application (the six-month
-- bar of 失信规定 art. 10 para. 4), what the order states (限制消费规定 art. 5; 失信规定 art. 5), the restriction made
-- with a dishonest-debtor listing (限制消费规定 art. 1 para. 2) and what the removal rested on.
ALTER TABLE "sanction_entry" ADD COLUMN "on_creditor_application" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN "order_record" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN "linked_entry_id" UUID,
ADD COLUMN "removal_detail" JSONB;
