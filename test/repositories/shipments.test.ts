/** Starting fulfilment against the real PostgreSQL: what the shipment step reads, then writes once. */
import { randomUUID } from 'node:crypto';
import { createShipmentRepository } from '../../prisma/repositories/shipments';
import { useTestDatabase } from '../support/database';
import { createTestOrder, createTestProduct } from '../support/fixtures';

const db = useTestDatabase();
const address = { name: 'Ada', line1: '1 Loop Rd', city: 'Ünïcode 東京', postalCode: 'N1', country: 'GB' };

async function paidOrder(): Promise<string> {
  const id = await createTestOrder(db(), [{ sku: await createTestProduct(db()), quantity: 1 }], {
    shippingAddress: address,
  });
  await db().order.update({ where: { id }, data: { status: 'PAID' } });
  return id;
}

test('fulfilmentStart reads the status and address of an order with no shipment yet', async () => {
  const orderId = await paidOrder();

  expect(await createShipmentRepository(db()).fulfilmentStart(orderId)).toEqual({
    orderStatus: 'PAID',
    shippingAddress: address,
    shipment: null,
  });
});

test('after startFulfilment the order is FULFILLING with its one shipment, and a second start changes nothing', async () => {
  const orderId = await paidOrder();
  const shipments = createShipmentRepository(db());

  const first = await shipments.startFulfilment(orderId, 'sim', `SIM-${orderId}`);
  const second = await shipments.startFulfilment(orderId, 'sim', 'SIM-other');

  expect(second).toEqual(first);
  expect(await shipments.fulfilmentStart(orderId)).toEqual({
    orderStatus: 'FULFILLING',
    shippingAddress: address,
    shipment: { id: first.id, trackingNumber: `SIM-${orderId}` },
  });
  expect(await db().shipment.count({ where: { orderId } })).toBe(1);
});

test('fulfilmentStart is null for an unknown order', async () => {
  expect(await createShipmentRepository(db()).fulfilmentStart(randomUUID())).toBeNull();
});
