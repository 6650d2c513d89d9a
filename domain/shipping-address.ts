/** Where an order goes: stored with the order, handed to the carrier when the label is bought. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
}

/** The longest each field may be, in characters: the API refuses longer ones, the checkout form stops typing there. */
export const SHIPPING_ADDRESS_MAX_LENGTH = {
  name: 200,
  line1: 200,
  line2: 200,
  city: 100,
  postalCode: 32,
  country: 64,
} as const satisfies Record<keyof ShippingAddress, number>;
