-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN     "relay_claimed_at" TIMESTAMPTZ(3),
ADD COLUMN     "relayed_at" TIMESTAMPTZ(3);

-- Rows recorded before this migration committed together with their signal: they were relayed.
UPDATE "webhook_events" SET "relayed_at" = "received_at";
