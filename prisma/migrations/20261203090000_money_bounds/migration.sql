-- The bound that keeps money in INTEGER columns (domain/pricing.ts): an order holds at most 10000
-- units of a sku and totals at most 10^8 cents, so its payment and refunds stay below it too. The
-- API and the checkout's first activity refuse larger orders (order_too_large); these checks make
-- the database refuse them as well, whatever writes the row.
ALTER TABLE "orders" ADD CONSTRAINT "orders_total_cents_bounded"
  CHECK ("total_cents" BETWEEN 0 AND 100000000);
ALTER TABLE "orders" ADD CONSTRAINT "orders_refunded_cents_bounded"
  CHECK ("refunded_cents" BETWEEN 0 AND "total_cents");
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_quantity_bounded"
  CHECK ("quantity" BETWEEN 1 AND 10000);
ALTER TABLE "order_items" ADD CONSTRAINT "order_items_unit_price_bounded"
  CHECK ("unit_price_cents" BETWEEN 0 AND 100000000);
ALTER TABLE "refunds" ADD CONSTRAINT "refunds_amount_cents_bounded"
  CHECK ("amount_cents" BETWEEN 1 AND 100000000);
