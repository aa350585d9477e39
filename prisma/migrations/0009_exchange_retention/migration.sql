-- CreateIndex
CREATE INDEX "peer_outbox_status_finished_at_idx" ON "peer_outbox"("status", "finished_at");

-- CreateIndex
CREATE INDEX "peer_inbox_received_at_idx" ON "peer_inbox"("received_at");

