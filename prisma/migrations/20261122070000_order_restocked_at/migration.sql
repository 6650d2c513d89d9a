-- AlterTable
ALTER TABLE "orders" ADD COLUMN     "restocked_at" TIMESTAMPTZ(3);
