-- cart_change_line also checks who changes the cart (p_actor: the signed-in customer, NULL for a
-- guest): a customer's cart answers not_found to anyone else, as the API's separate owner read did,
-- which saves that round trip per change (docs/performance.md#carts).
DROP FUNCTION cart_change_line(uuid, text, integer, boolean, integer, integer);

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
