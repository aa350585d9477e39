-- AlterTable
ALTER TABLE "measure" ADD COLUMN     "deducts_measure_id" UUID;

-- CreateIndex
CREATE INDEX "measure_deducts_measure_id_idx" ON "measure"("deducts_measure_id");

-- AddForeignKey
ALTER TABLE "measure" ADD CONSTRAINT "measure_deducts_measure_id_fkey" FOREIGN KEY ("deducts_measure_id") REFERENCES "measure"("id") ON DELETE SET NULL ON UPDATE CASCADE;

