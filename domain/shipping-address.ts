/** Where an order goes: stored with the order, handed to the carrier when the label is bought. */
export interface ShippingAddress {
  name: string;
  line1: string;
  line2?: string | undefined;
  city: string;
  postalCode: string;
  country: string;
}
