-- The order timeline's log: one row each time an order, its payment, one of its refunds or its
-- shipment enters a status. Rows are written by the triggers below, inside the transaction that
-- changes the row, so no writer (repository, raw CTE, reservation sweep, a psql repair) can change a
-- status without its event, and no rolled-back change leaves one. Append-only: nothing updates or
-- deletes these rows.

-- CreateTable
CREATE TABLE "order_events" (
    "id" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT clock_timestamp(),
    "subject" TEXT NOT NULL,
    "subject_id" UUID NOT NULL,
    "from_status" TEXT,
    "to_status" TEXT NOT NULL,
    "actor_id" UUID,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "order_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "order_events_order_id_at_id_idx" ON "order_events"("order_id", "at", "id");

-- The dedupe key: every status machine of the platform only moves forward, so a subject enters a
-- status at most once. A retried write that re-applies a status therefore appends nothing.
-- CreateIndex
CREATE UNIQUE INDEX "order_events_subject_subject_id_to_status_key" ON "order_events"("subject", "subject_id", "to_status");

-- TG_ARGV: [0] the subject, [1] the row's columns copied into details (comma-separated), [2] the
-- column naming who acted when the row is inserted (a user id; anything else, such as 'system', is
-- no person and is stored as null). clock_timestamp(), not now(): the changes of one transaction
-- (order PAID, payment CAPTURED) keep their order in time.
CREATE FUNCTION "record_order_event"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  fields jsonb := to_jsonb(NEW);
  actor text := CASE WHEN TG_OP = 'INSERT' AND TG_ARGV[2] <> '' THEN fields ->> TG_ARGV[2] END;
BEGIN
  INSERT INTO "order_events" ("order_id", "subject", "subject_id", "from_status", "to_status", "actor_id", "details")
  VALUES (
    CASE WHEN TG_ARGV[0] = 'order' THEN NEW."id" ELSE (fields ->> 'order_id')::uuid END,
    TG_ARGV[0],
    NEW."id",
    CASE WHEN TG_OP = 'UPDATE' THEN OLD."status"::text END,
    NEW."status"::text,
    CASE WHEN actor ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN actor::uuid END,
    COALESCE((SELECT jsonb_object_agg(key, value) FROM jsonb_each(fields)
              WHERE key = ANY (string_to_array(TG_ARGV[1], ','))), '{}')
  )
  ON CONFLICT ("subject", "subject_id", "to_status") DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER "orders_record_event" AFTER INSERT ON "orders"
  FOR EACH ROW EXECUTE FUNCTION "record_order_event"('order', 'total_cents,currency,failure_reason', 'customer_id');
CREATE TRIGGER "orders_record_status" AFTER UPDATE OF "status" ON "orders"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "record_order_event"('order', 'total_cents,currency,failure_reason', '');

CREATE TRIGGER "payments_record_event" AFTER INSERT ON "payments"
  FOR EACH ROW EXECUTE FUNCTION "record_order_event"('payment', 'amount_cents,captured_cents,refunded_cents', '');
CREATE TRIGGER "payments_record_status" AFTER UPDATE OF "status" ON "payments"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "record_order_event"('payment', 'amount_cents,captured_cents,refunded_cents', '');

CREATE TRIGGER "refunds_record_event" AFTER INSERT ON "refunds"
  FOR EACH ROW EXECUTE FUNCTION "record_order_event"('refund', 'amount_cents,reason,restock', 'requested_by');
CREATE TRIGGER "refunds_record_status" AFTER UPDATE OF "status" ON "refunds"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "record_order_event"('refund', 'amount_cents,reason,restock', '');

CREATE TRIGGER "shipments_record_event" AFTER INSERT ON "shipments"
  FOR EACH ROW EXECUTE FUNCTION "record_order_event"('shipment', 'carrier,tracking_number', '');
CREATE TRIGGER "shipments_record_status" AFTER UPDATE OF "status" ON "shipments"
  FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status")
  EXECUTE FUNCTION "record_order_event"('shipment', 'carrier,tracking_number', '');

-- Orders from before this migration: what is known, their creation and the status each row is in
-- now (at its last update), so their timeline is not empty. Marked, since the steps between are lost.
INSERT INTO "order_events" ("order_id", "at", "subject", "subject_id", "to_status", "actor_id", "details")
SELECT "id", "created_at", 'order', "id", 'PENDING', "customer_id",
       jsonb_build_object('total_cents', "total_cents", 'currency', "currency", 'backfilled', true)
FROM "orders"
ON CONFLICT DO NOTHING;

INSERT INTO "order_events" ("order_id", "at", "subject", "subject_id", "to_status", "details")
SELECT "id", "updated_at", 'order', "id", "status"::text,
       jsonb_build_object('total_cents', "total_cents", 'currency', "currency", 'failure_reason', "failure_reason", 'backfilled', true)
FROM "orders"
UNION ALL
SELECT "order_id", "updated_at", 'payment', "id", "status"::text,
       jsonb_build_object('amount_cents', "amount_cents", 'captured_cents', "captured_cents", 'refunded_cents', "refunded_cents", 'backfilled', true)
FROM "payments"
UNION ALL
SELECT "order_id", "updated_at", 'refund', "id", "status"::text,
       jsonb_build_object('amount_cents', "amount_cents", 'reason', "reason", 'restock', "restock", 'backfilled', true)
FROM "refunds"
UNION ALL
SELECT "order_id", "updated_at", 'shipment', "id", "status"::text,
       jsonb_build_object('carrier', "carrier", 'tracking_number', "tracking_number", 'backfilled', true)
FROM "shipments"
ON CONFLICT DO NOTHING;

-- The timeline reads the audit trail by target (the order and its refunds), as does
-- GET /v1/admin/audit?targetId=; until now that was a scan of the whole trail.
-- CreateIndex
CREATE INDEX "audit_entries_target_id_created_at_idx" ON "audit_entries"("target_id", "created_at");
