-- Fencing tokens for agency request leases (docs/ARCHITECTURE.md, the durable request log): every statement that takes a
-- lease adds one, and the statements that let a submission leave, mark it sent, reschedule or finish the request name the
-- token they hold, so an instance whose lease was taken over meanwhile changes nothing and sends nothing.
ALTER TABLE "agency_request" ADD COLUMN "lease_epoch" BIGINT NOT NULL DEFAULT 0;
