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

CREATE UNIQUE INDEX "checkout_requests_workflow_id_key" ON "checkout_requests"("workflow_id");
