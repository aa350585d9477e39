-- AlterTable: a measure carried out by another court through a delegated task (事项委托), or by the police (查扣车辆)
ALTER TABLE "measure" ADD COLUMN "delegated_task_id" UUID,
ADD COLUMN "police_assistance_id" UUID,
ADD COLUMN "needs_attention_at" TIMESTAMPTZ(3);

-- AlterTable: a FREEZE or SEAL task that renews (续行) a measure another court carried out
ALTER TABLE "delegated_task" ADD COLUMN "renews_measure_id" UUID;

-- AddForeignKey
ALTER TABLE "delegated_task" ADD CONSTRAINT "delegated_task_renews_measure_id_fkey" FOREIGN KEY ("renews_measure_id") REFERENCES "measure"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AlterTable: police assistance still UNCONFIRMED past HUB_UNCONFIRMED_GIVE_UP_DAYS, for a supervisor
ALTER TABLE "police_assistance" ADD COLUMN "needs_attention_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE UNIQUE INDEX "measure_delegated_task_id_key" ON "measure"("delegated_task_id");

-- CreateIndex
CREATE UNIQUE INDEX "measure_police_assistance_id_key" ON "measure"("police_assistance_id");

-- AddForeignKey
ALTER TABLE "measure" ADD CONSTRAINT "measure_delegated_task_id_fkey" FOREIGN KEY ("delegated_task_id") REFERENCES "delegated_task"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "measure" ADD CONSTRAINT "measure_police_assistance_id_fkey" FOREIGN KEY ("police_assistance_id") REFERENCES "police_assistance"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
