-- A cart change or read answers in one round trip (docs/performance.md#carts): the change returns
-- the cart as it now reads, and both check the caller's token version in the same statement
-- instead of the API's separate read of it before.

-- Whether a token's claims are still its user's: the user exists with that role and token version.
-- The API's auth middleware makes the same check (api/auth/tokens.ts); carts make it here.
CREATE FUNCTION token_is_current(p_user uuid, p_role text, p_version integer) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM users u WHERE u.id = p_user AND u.role::text = p_role AND u.token_version = p_version
  )
$$;

-- The cart priced now: one row per line with its product and stock (line columns NULL for an
-- empty cart), in the order the lines were added; no rows for an unknown cart.
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

-- cart_change_line with the caller's token checked first (p_actor NULL: a guest, no token) and
-- the cart read back when it changed: the outcome columns on every row, the cart's rows after them
-- (one row with the cart columns NULL when the change was refused). 'unauthorized' changes nothing.
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
