-- The commerce schema as a whole: the one migration a new database runs, and where every table,
-- index, constraint, database function and trigger is read. Later changes are new migrations next
-- to this one. Databases migrated before this baseline hold the same schema and have it recorded as
-- applied without running it (prisma/migrator.ts); test/migrations proves both schemas equal.
--
-- Sections: 1 types, 2 tables (by domain), 3 indexes, 4 foreign keys, 5 invariants (CHECK),
-- 6 functions, 7 triggers. Sections 1 to 4 are what Prisma's `migrate diff` writes for
-- schema.prisma; 5 to 7 are what Prisma's schema language cannot express.


-- ============================================================================================
-- 1. Types: the status machines and roles (domain/statuses.ts; prisma/schema-types.check.ts fails
--    the type-check when the two drift)
-- ============================================================================================

CREATE TYPE "Role" AS ENUM ('customer', 'support', 'admin');
CREATE TYPE "ReservationStatus" AS ENUM ('ACTIVE', 'RELEASED', 'COMMITTED');
CREATE TYPE "OrderStatus" AS ENUM ('PENDING', 'AWAITING_PAYMENT_CONFIRMATION', 'PAID', 'FULFILLING', 'SHIPPED', 'DELIVERED', 'FAILED', 'CANCELLED', 'RETURNED', 'REFUNDED');
CREATE TYPE "PaymentStatus" AS ENUM ('PENDING', 'REQUIRES_ACTION', 'CAPTURED', 'FAILED', 'VOIDED', 'REFUNDED', 'PARTIALLY_REFUNDED');
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'AWAITING_APPROVAL', 'SUCCEEDED', 'REJECTED', 'FAILED');
CREATE TYPE "ShipmentStatus" AS ENUM ('LABEL_CREATED', 'AWAITING_PICKUP_ALERT', 'PICKED_UP', 'IN_TRANSIT', 'DELIVERED', 'RETURNED', 'LOST');
CREATE TYPE "CartStatus" AS ENUM ('OPEN', 'CHECKED_OUT', 'MERGED');
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT', 'FAILED');


-- ============================================================================================
-- 2. Tables. Columns are in the order every existing database has them.
-- ============================================================================================

-- Accounts. token_version is carried in access tokens as `ver` and bumped on every role change, so
-- older tokens stop working (token_is_current below).
CREATE TABLE "users" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "token_version" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- Catalog and stock. inventory.reserved is the sum of ACTIVE reservations, kept in the same
-- transaction as the reservation rows so one conditional UPDATE can refuse to oversell.
CREATE TABLE "products" (
    "sku" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "price_cents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "products_pkey" PRIMARY KEY ("sku")
);

CREATE TABLE "inventory" (
    "sku" TEXT NOT NULL,
    "on_hand" INTEGER NOT NULL,
    "reserved" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "inventory_pkey" PRIMARY KEY ("sku")
);

CREATE TABLE "reservations" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "status" "ReservationStatus" NOT NULL DEFAULT 'ACTIVE',
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reservations_pkey" PRIMARY KEY ("id")
);

-- Orders and their money. restocked_at guards restocking: sold units go back on hand at most once
-- per order (cancel, refund with restock, return).
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "status" "OrderStatus" NOT NULL DEFAULT 'PENDING',
    "currency" CHAR(3) NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "refunded_cents" INTEGER NOT NULL DEFAULT 0,
    "failure_reason" TEXT,
    "workflow_id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "shipping_address" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "restocked_at" TIMESTAMPTZ(3),

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "order_items" (
    "order_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price_cents" INTEGER NOT NULL,

    CONSTRAINT "order_items_pkey" PRIMARY KEY ("order_id","sku")
);

CREATE TABLE "payments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_payment_id" TEXT,
    "status" "PaymentStatus" NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "captured_cents" INTEGER NOT NULL DEFAULT 0,
    "refunded_cents" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payments_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "refunds" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "restock" BOOLEAN NOT NULL DEFAULT false,
    "status" "RefundStatus" NOT NULL DEFAULT 'PENDING',
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "provider_refund_id" TEXT,
    "workflow_id" TEXT NOT NULL,
    "requested_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refunds_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "shipments" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "carrier" TEXT NOT NULL,
    "tracking_number" TEXT NOT NULL,
    "status" "ShipmentStatus" NOT NULL DEFAULT 'LABEL_CREATED',
    "picked_up_at" TIMESTAMPTZ(3),
    "delivered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shipments_pkey" PRIMARY KEY ("id")
);

-- What a checkout request says (lines, shipping address, the provider's payment token), written
-- before its workflow starts, so the workflow's input carries ids only and no personal data or
-- payment token reaches Temporal's histories. One row per checkout workflow (Idempotency-Key).
CREATE TABLE "checkout_requests" (
    "order_id" UUID NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "items" JSONB NOT NULL,
    "shipping_address" JSONB NOT NULL,
    "payment_token" TEXT NOT NULL,
    "cart_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "checkout_requests_pkey" PRIMARY KEY ("order_id")
);

-- Carts: lines only, priced from the catalog on every read; a cart never holds stock.
CREATE TABLE "carts" (
    "id" UUID NOT NULL,
    "customer_id" UUID,
    "status" "CartStatus" NOT NULL DEFAULT 'OPEN',
    "order_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "carts_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "cart_lines" (
    "cart_id" UUID NOT NULL,
    "sku" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cart_lines_pkey" PRIMARY KEY ("cart_id","sku")
);

-- One email per event: the unique dedupe key makes a retried event find the row it already wrote.
-- The rendered subject and bodies are stored, so a resend sends exactly what the first try did.
CREATE TABLE "notifications" (
    "id" UUID NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'email',
    "recipient" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text_body" TEXT NOT NULL,
    "html_body" TEXT NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "order_id" UUID,
    "cart_id" UUID,
    "customer_id" UUID,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "notifications_pkey" PRIMARY KEY ("id")
);

-- Inbox of signed webhook deliveries: the (source, id) key makes a duplicate delivery a no-op;
-- relayed_at is set once the delivery reached its workflow, relay_claimed_at is the lease of the
-- delivery relaying it now.
CREATE TABLE "webhook_events" (
    "source" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "relay_claimed_at" TIMESTAMPTZ(3),
    "relayed_at" TIMESTAMPTZ(3),

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("source","id")
);

-- Who did what to which object, for support and admin actions.
CREATE TABLE "audit_entries" (
    "id" UUID NOT NULL,
    "actor_id" UUID NOT NULL,
    "actor_role" "Role" NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_entries_pkey" PRIMARY KEY ("id")
);

-- The order timeline's log: one row each time an order, its payment, one of its refunds or its
-- shipment enters a status. Written only by the triggers of section 7, inside the transaction that
-- changes the row, so no writer (repository, raw CTE, reservation sweep, a psql repair) can change a
-- status without its event, and no rolled-back change leaves one. Append-only: nothing updates or
-- deletes these rows.
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

-- The bundled payment provider and carrier simulators. A real provider keeps this state on its own
-- side; the simulators keep it here so their idempotency (one charge per key, one label per order)
-- survives worker crashes as a real provider's would. Only the simulator adapters touch them.
CREATE TABLE "sim_payment_charges" (
    "id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "status" TEXT NOT NULL,
    "refunded_cents" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_payment_charges_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sim_payment_refunds" (
    "id" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "charge_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_payment_refunds_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "sim_carrier_labels" (
    "tracking_number" TEXT NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sim_carrier_labels_pkey" PRIMARY KEY ("tracking_number")
);


-- ============================================================================================
-- 3. Indexes: the unique keys of schema.prisma, and one per read path (keyset pages are ordered by
--    (created_at, id), hence the trailing id)
-- ============================================================================================

CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

CREATE INDEX "reservations_status_expires_at_idx" ON "reservations"("status", "expires_at");
CREATE UNIQUE INDEX "reservations_order_id_sku_key" ON "reservations"("order_id", "sku");

CREATE INDEX "orders_customer_id_created_at_id_idx" ON "orders"("customer_id", "created_at", "id");
CREATE INDEX "orders_status_created_at_id_idx" ON "orders"("status", "created_at", "id");
CREATE INDEX "orders_created_at_id_idx" ON "orders"("created_at", "id");
-- A repeated Idempotency-Key of one customer finds the order it made.
CREATE UNIQUE INDEX "orders_customer_id_idempotency_key_key" ON "orders"("customer_id", "idempotency_key");

CREATE UNIQUE INDEX "payments_order_id_key" ON "payments"("order_id");
CREATE UNIQUE INDEX "payments_provider_payment_id_key" ON "payments"("provider_payment_id");
CREATE UNIQUE INDEX "refunds_order_id_idempotency_key_key" ON "refunds"("order_id", "idempotency_key");
CREATE UNIQUE INDEX "shipments_order_id_key" ON "shipments"("order_id");
CREATE UNIQUE INDEX "shipments_tracking_number_key" ON "shipments"("tracking_number");

CREATE UNIQUE INDEX "checkout_requests_workflow_id_key" ON "checkout_requests"("workflow_id");

CREATE UNIQUE INDEX "carts_order_id_key" ON "carts"("order_id");
CREATE INDEX "carts_customer_id_status_idx" ON "carts"("customer_id", "status");
-- A customer has at most one OPEN cart: concurrent "get or create my cart" calls cannot make two.
-- Partial, so schema.prisma cannot state it.
CREATE UNIQUE INDEX "carts_one_open_per_customer" ON "carts"("customer_id") WHERE "status" = 'OPEN';

CREATE UNIQUE INDEX "notifications_dedupe_key_key" ON "notifications"("dedupe_key");
CREATE INDEX "notifications_order_id_created_at_idx" ON "notifications"("order_id", "created_at");
CREATE INDEX "notifications_customer_id_created_at_id_idx" ON "notifications"("customer_id", "created_at", "id");

CREATE INDEX "audit_entries_created_at_id_idx" ON "audit_entries"("created_at", "id");
-- The order timeline and GET /v1/admin/audit?targetId= read the trail by target.
CREATE INDEX "audit_entries_target_id_created_at_idx" ON "audit_entries"("target_id", "created_at");

CREATE INDEX "order_events_order_id_at_id_idx" ON "order_events"("order_id", "at", "id");
-- The timeline's dedupe key: every status machine of the platform only moves forward, so a subject
-- enters a status at most once, and a retried write that re-applies a status appends nothing.
CREATE UNIQUE INDEX "order_events_subject_subject_id_to_status_key" ON "order_events"("subject", "subject_id", "to_status");

CREATE UNIQUE INDEX "sim_payment_charges_idempotency_key_key" ON "sim_payment_charges"("idempotency_key");
CREATE UNIQUE INDEX "sim_payment_refunds_idempotency_key_key" ON "sim_payment_refunds"("idempotency_key");
CREATE UNIQUE INDEX "sim_carrier_labels_idempotency_key_key" ON "sim_carrier_labels"("idempotency_key");


-- ============================================================================================
-- 4. Foreign keys
-- ============================================================================================

ALTER TABLE "inventory" ADD CONSTRAINT "inventory_sku_fkey" FOREIGN KEY ("sku") REFERENCES "products"("sku") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "payments" ADD CONSTRAINT "payments_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "shipments" ADD CONSTRAINT "shipments_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "cart_lines" ADD CONSTRAINT "cart_lines_cart_id_fkey" FOREIGN KEY ("cart_id") REFERENCES "carts"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ============================================================================================
-- 5. Invariants. The last line of defence: the repositories and domain/ already refuse these
--    states, but a bug or a hand-written query must not sell stock that is not there, refund money
--    that was never captured, or store an amount near INTEGER's end.
-- ============================================================================================

ALTER TABLE "inventory" ADD CONSTRAINT "inventory_on_hand_non_negative" CHECK ("on_hand" >= 0);
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_reserved_within_on_hand" CHECK ("reserved" >= 0 AND "reserved" <= "on_hand");
ALTER TABLE "reservations" ADD CONSTRAINT "reservations_quantity_positive" CHECK ("quantity" > 0);
ALTER TABLE "products" ADD CONSTRAINT "products_price_non_negative" CHECK ("price_cents" >= 0);
ALTER TABLE "payments" ADD CONSTRAINT "payments_refunded_within_captured" CHECK ("refunded_cents" >= 0 AND "refunded_cents" <= "captured_cents");

-- The order limits of domain/pricing.ts (MAX_UNITS_PER_SKU, MAX_ORDER_TOTAL_CENTS), restated as
-- literals because a CHECK cannot read TypeScript: at most 10000 units of a sku, a total of at most
-- 10^8 cents, so an order's payment and refunds stay below it too. The API and the checkout's first
-- activity refuse larger orders (order_too_large); these make the database refuse them whatever
-- writes the row. Change both places together.
ALTER TABLE "orders" ADD CONSTRAINT "orders_total_cents_bounded" CHECK ("total_cents" BETWEEN 0 AND 100000000);
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_quantity_bounded" CHECK ("quantity" BETWEEN 1 AND 10000);
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_unit_price_bounded" CHECK ("unit_price_cents" BETWEEN 0 AND 100000000);
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amount_cents_bounded" CHECK ("amount_cents" BETWEEN 1 AND 100000000);
ALTER TABLE "orders" ADD CONSTRAINT "orders_refunded_cents_bounded" CHECK ("refunded_cents" BETWEEN 0 AND "total_cents");

-- The sign checks that the bounds above include. Kept, not merged into them, so that a new
-- database has the very constraints of every database migrated before this baseline.
ALTER TABLE "orders" ADD CONSTRAINT "orders_refunded_within_total" CHECK ("refunded_cents" >= 0 AND "refunded_cents" <= "total_cents");
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_quantity_positive" CHECK ("quantity" > 0);
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_unit_price_non_negative" CHECK ("unit_price_cents" >= 0);
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amount_positive" CHECK ("amount_cents" > 0);


-- ============================================================================================
-- 6. Functions. Each is defined here once, whole; a change replaces it in a new migration
--    (CREATE OR REPLACE, or DROP and CREATE when its signature changes).
-- ============================================================================================

-- 6.1 The order timeline (order_events), called by the triggers of section 7.
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

-- 6.2 Tokens. Whether a token's claims are still its user's: the user exists with that role and
-- token version. The one owner of that rule: the API's auth middleware asks it through
-- prisma/repositories/users.ts (isTokenCurrent), the cart statements below call it directly.
CREATE FUNCTION token_is_current(p_user uuid, p_role text, p_version integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM users u WHERE u.id = p_user AND u.role::text = p_role AND u.token_version = p_version
  )
$$;

-- 6.3 Carts (prisma/repositories/carts.ts calls these; docs/performance.md#carts says why a change
-- is one statement).
--
-- cart_change_line: one line change (add, set, remove), the owner of the line rules: the cart's row
-- lock first, so changes of one cart run one after another and a cart closed meanwhile is seen
-- closed; a customer's cart answers not_found to anyone but that customer (p_actor, NULL for a
-- guest); then the limits, read after the lock: a line of at most p_max_quantity units, at most
-- p_max_lines lines, no more than is available. The limits are parameters, owned by
-- domain/cart-limits.ts. In READ COMMITTED each statement of a VOLATILE function takes a new
-- snapshot, so the reads see every change committed before the lock was granted. A refusal returns
-- before any write: the call changes nothing.
CREATE FUNCTION cart_change_line(
  p_cart uuid,
  p_actor uuid,
  p_sku text,
  p_quantity integer,
  p_add boolean,
  p_max_quantity integer,
  p_max_lines integer
) RETURNS TABLE (outcome text, cart_status text, available integer, lines_before integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  v_customer uuid;
  v_status text;
  v_current integer;
  v_wanted integer;
  v_available integer;
  v_lines integer;
BEGIN
  SELECT c.customer_id, c.status::text INTO v_customer, v_status FROM carts c WHERE c.id = p_cart FOR UPDATE;
  -- A customer's cart is theirs alone: to anyone else it does not exist (never revealed as 403).
  IF NOT FOUND OR (v_customer IS NOT NULL AND v_customer IS DISTINCT FROM p_actor) THEN
    RETURN QUERY SELECT 'not_found'::text, NULL::text, NULL::integer, NULL::integer;
    RETURN;
  END IF;
  IF v_status <> 'OPEN' THEN
    RETURN QUERY SELECT 'closed'::text, v_status, NULL::integer, NULL::integer;
    RETURN;
  END IF;
  SELECT count(*)::integer INTO v_lines FROM cart_lines l WHERE l.cart_id = p_cart;
  SELECT l.quantity INTO v_current FROM cart_lines l WHERE l.cart_id = p_cart AND l.sku = p_sku;
  v_wanted := CASE WHEN p_add THEN COALESCE(v_current, 0) + p_quantity ELSE p_quantity END;
  IF v_wanted <= 0 THEN
    DELETE FROM cart_lines l WHERE l.cart_id = p_cart AND l.sku = p_sku;
  ELSE
    IF v_wanted > p_max_quantity THEN
      RETURN QUERY SELECT 'too_large'::text, v_status, NULL::integer, v_lines;
      RETURN;
    END IF;
    SELECT GREATEST(COALESCE(i.on_hand - i.reserved, 0), 0)::integer INTO v_available
      FROM products p LEFT JOIN inventory i ON i.sku = p.sku WHERE p.sku = p_sku;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'unknown_sku'::text, v_status, NULL::integer, v_lines;
      RETURN;
    END IF;
    IF v_wanted > v_available THEN
      RETURN QUERY SELECT 'insufficient_stock'::text, v_status, v_available, v_lines;
      RETURN;
    END IF;
    IF v_current IS NULL AND v_lines >= p_max_lines THEN
      RETURN QUERY SELECT 'too_large'::text, v_status, v_available, v_lines;
      RETURN;
    END IF;
    INSERT INTO cart_lines (cart_id, sku, quantity) VALUES (p_cart, p_sku, v_wanted)
      ON CONFLICT (cart_id, sku) DO UPDATE SET quantity = EXCLUDED.quantity;
  END IF;
  UPDATE carts SET updated_at = now() WHERE id = p_cart;
  RETURN QUERY SELECT 'changed'::text, v_status, v_available, v_lines;
END
$$;

-- cart_view_rows: the cart priced now, one row per line with its product and stock (line columns
-- NULL for an empty cart), in the order the lines were added; no rows for an unknown cart.
CREATE FUNCTION cart_view_rows(p_cart uuid) RETURNS TABLE (
  id uuid,
  customer_id uuid,
  status text,
  order_id uuid,
  created_at timestamptz,
  updated_at timestamptz,
  sku text,
  quantity integer,
  name text,
  price_cents integer,
  currency text,
  on_hand integer,
  reserved integer
)
LANGUAGE sql STABLE AS $$
  SELECT c.id, c.customer_id, c.status::text, c.order_id, c.created_at, c.updated_at,
         l.sku, l.quantity, p.name, p.price_cents, p.currency::text, i.on_hand, i.reserved
  FROM carts c
  LEFT JOIN cart_lines l ON l.cart_id = c.id
  LEFT JOIN products p ON p.sku = l.sku
  LEFT JOIN inventory i ON i.sku = l.sku
  WHERE c.id = p_cart
  ORDER BY l.added_at, l.sku
$$;

-- cart_change: what the API calls for a line change. The caller's token checked first (p_actor
-- NULL: a guest, no token), then cart_change_line, then the cart read back when it changed: the
-- outcome columns on every row, the cart's rows after them (one row with the cart columns NULL when
-- the change was refused). 'unauthorized' changes nothing.
CREATE FUNCTION cart_change(
  p_cart uuid,
  p_actor uuid,
  p_actor_role text,
  p_actor_version integer,
  p_sku text,
  p_quantity integer,
  p_add boolean,
  p_max_quantity integer,
  p_max_lines integer
) RETURNS TABLE (
  outcome text,
  cart_status text,
  available integer,
  lines_before integer,
  line_position bigint,
  id uuid,
  customer_id uuid,
  status text,
  order_id uuid,
  created_at timestamptz,
  updated_at timestamptz,
  sku text,
  quantity integer,
  name text,
  price_cents integer,
  currency text,
  on_hand integer,
  reserved integer
)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r record;
BEGIN
  IF p_actor IS NOT NULL AND NOT token_is_current(p_actor, p_actor_role, p_actor_version) THEN
    RETURN QUERY SELECT 'unauthorized'::text, NULL::text, NULL::integer, NULL::integer, NULL::bigint,
      NULL::uuid, NULL::uuid, NULL::text, NULL::uuid, NULL::timestamptz, NULL::timestamptz,
      NULL::text, NULL::integer, NULL::text, NULL::integer, NULL::text, NULL::integer, NULL::integer;
    RETURN;
  END IF;
  SELECT * INTO r FROM cart_change_line(p_cart, p_actor, p_sku, p_quantity, p_add, p_max_quantity, p_max_lines);
  -- A statement of its own after the change, so the read sees it.
  RETURN QUERY
    SELECT r.outcome, r.cart_status, r.available, r.lines_before, v.ordinality, v.id, v.customer_id, v.status,
           v.order_id, v.created_at, v.updated_at, v.sku, v.quantity, v.name, v.price_cents, v.currency,
           v.on_hand, v.reserved
    FROM (SELECT 1) AS one
    LEFT JOIN LATERAL cart_view_rows(p_cart) WITH ORDINALITY AS v ON r.outcome = 'changed'
    ORDER BY v.ordinality;
END
$$;


-- ============================================================================================
-- 7. Triggers: the order timeline. Each status table records its insert (with the person who
--    caused it, when the row names one) and every change of status.
-- ============================================================================================

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
