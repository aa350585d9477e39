-- Withholding income (扣留、提取收入, 民事诉讼法 2023 art. 254): a WITHHOLD measure whose total the payer has withheld is
-- COMPLETED. Each month's withholding is a DEDUCT measure drawing on it (deducts_measure_id), so kinds and categories,
-- stored as text, need no change.
ALTER TYPE "MeasureStatus" ADD VALUE 'COMPLETED';
