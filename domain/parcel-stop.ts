/**
 * The shipment workflow's update that stops a parcel the carrier has not picked up, after a refund
 * of everything (workflows/shipment.ts). Named here because the activity that sends it
 * (activities/parcel-stop.ts) may not import workflow code. No imports: workflows import it by value.
 */
export const STOP_PARCEL_UPDATE = 'stopParcel';
