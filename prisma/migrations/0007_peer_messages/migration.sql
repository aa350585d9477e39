-- CreateEnum
CREATE TYPE "PeerOutboxStatus" AS ENUM ('PENDING', 'DELIVERED', 'FAILED');

-- CreateTable
CREATE TABLE "peer_outbox" (
    "id" UUID NOT NULL,
    "to_hub" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "status" "PeerOutboxStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lease_owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "acknowledgement" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "peer_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peer_inbox" (
    "id" UUID NOT NULL,
    "from_hub" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "body" JSONB NOT NULL,
    "digest" TEXT NOT NULL,
    "acknowledgement" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "peer_inbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "peer_conversation" (
    "peer_hub" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "conversation" TEXT NOT NULL,
    "last_sequence" INTEGER NOT NULL,

    CONSTRAINT "peer_conversation_pkey" PRIMARY KEY ("peer_hub","direction","conversation")
);

-- CreateIndex
CREATE INDEX "peer_outbox_status_next_attempt_at_idx" ON "peer_outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "peer_outbox_to_hub_conversation_sequence_key" ON "peer_outbox"("to_hub", "conversation", "sequence");

-- CreateIndex
CREATE INDEX "peer_inbox_from_hub_conversation_sequence_idx" ON "peer_inbox"("from_hub", "conversation", "sequence");

