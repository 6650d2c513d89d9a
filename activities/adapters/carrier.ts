/**
 * The boundary to the shipping carrier. The bundled simulator implements it; a real carrier (its
 * label API) is another class of this interface. Same contract as the payment provider: the
 * idempotency key makes a repeated call return the first call's label, never a second parcel.
 */
export interface LabelRequest {
  idempotencyKey: string;
  orderId: string;
  recipient: {
    name: string;
    line1: string;
    line2?: string | undefined;
    city: string;
    postalCode: string;
    country: string;
  };
}

export interface Carrier {
  readonly name: string;
  createLabel(request: LabelRequest): Promise<{ trackingNumber: string }>;
  /** Voids a label that was never picked up. Idempotent. */
  cancelLabel(trackingNumber: string): Promise<void>;
}
