/**
 * Limits of one cart (docs/api.md "Carts": `cart_too_large`). Owned here: the database function
 * cart_change_line, which applies them under the cart's row lock, takes them as parameters and has
 * no limits of its own; the API's request schemas bound quantities with the same constants.
 */
import { MAX_UNITS_PER_SKU } from './pricing';

export const CART_MAX_LINES = 100;

/** A line holds at most what one order may hold of a sku, so whatever a cart holds can be ordered. */
export const CART_MAX_QUANTITY = MAX_UNITS_PER_SKU;
