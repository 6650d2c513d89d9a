/**
 * The boundary to the shipping carrier. The bundled simulator implements it; a real carrier (its
 * label API) is another class of this interface and a case in ./providers.ts. Same contract as the
 * payment provider: the idempotency key makes a repeated call return the first call's label, never
 * a second parcel.
 */
import type { ShippingAddress } from '../../domain/shipping-address';

export interface LabelRequest {
  idempotencyKey: string;
  orderId: string;
  recipient: ShippingAddress;
}

export interface Carrier {
  readonly name: string;
  createLabel(request: LabelRequest): Promise<{ trackingNumber: string }>;
  /** Voids a label that was never picked up. Idempotent. */
  cancelLabel(trackingNumber: string): Promise<void>;
}
