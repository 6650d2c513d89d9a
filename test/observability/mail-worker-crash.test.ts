/**
 * A worker killed in the middle of an SMTP send (the mail server has the message, the worker never
 * hears its 250): Temporal times the attempt out and another worker sends again, with the same
 * Message-ID, so the customer's mailbox keeps one message and the notification ends SENT. Real
 * worker processes, a real SMTP server, SIGKILL.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { messageIdFor } from '../../activities/notifications/mailer';
import { notificationWorkflowId } from '../../domain/ids';
import { notificationKey } from '../../domain/notifications';
import { createNotificationRepository } from '../../prisma/repositories/notifications';
import { createOrderRepository } from '../../prisma/repositories/orders';
import { startMailCatcher, type MailCatcher } from '../../tooling/mail-catcher';
import { freePort } from '../../tooling/ports';
import type { sendNotification } from '../../workflows/send-notification';
import { useTestDatabase } from '../support/database';
import { createTestProduct, createTestUser, TEST_ADDRESS } from '../support/fixtures';
import { serviceEnv, spawnService, stopService, type ServiceProcess } from '../support/service-processes';
import { testEnv } from '../support/test-env';
import { waitUntil } from '../support/wait';

jest.setTimeout(120_000);

const db = useTestDatabase();
const running: ServiceProcess[] = [];
let catcher: MailCatcher | undefined;
let connection: Connection | undefined;

afterAll(async () => {
  await Promise.all(running.map((s) => stopService(s)));
  await catcher?.stop();
  await connection?.close();
});

test('worker killed mid-send: one message in the mailbox, the notification SENT by the next worker', async () => {
  catcher = await startMailCatcher({ smtpPort: await freePort() });
  const mail = catcher;
  const user = await createTestUser(db());
  const sku = await createTestProduct(db(), { priceCents: 990 });
  const orderId = randomUUID();
  await createOrderRepository(db()).createPending({
    id: orderId,
    customerId: user.id,
    workflowId: `checkout-${orderId}`,
    idempotencyKey: orderId,
    requestHash: 'h',
    currency: 'USD',
    shippingAddress: TEST_ADDRESS,
    items: [{ sku, quantity: 1, unitPriceCents: 990 }],
  });

  const { env, taskQueue } = await serviceEnv({ SMTP_URL: mail.smtpUrl, LOG_LEVEL: 'warn' });
  const worker = (): ServiceProcess => {
    const w = spawnService('workers/main.ts', { ...env, METRICS_PORT: '0' });
    running.push(w);
    return w;
  };
  mail.setHoldingReplies(true);
  const first = worker();

  connection = await Connection.connect({ address: testEnv.temporalAddress });
  const client = new Client({ connection });
  const key = notificationKey('order_confirmed', orderId);
  const handle = await client.workflow.start<typeof sendNotification>('sendNotification', {
    taskQueue,
    workflowId: notificationWorkflowId(key),
    args: [{ type: 'order_confirmed', orderId }],
  });

  // The server has the whole message; its reply is held, so the worker is inside `sendMail`.
  await waitUntil(() => (mail.messages().length === 1 ? true : undefined), 'the message to reach the server', {
    timeoutMs: 60_000,
  });
  first.child.kill('SIGKILL'); // no graceful shutdown: the process is gone mid-send
  await first.exited;
  mail.setHoldingReplies(false);
  worker();

  // The lost attempt times out (SMTP_ACTIVITY: 30 s to close), the retry sends again.
  expect(await handle.result()).toBe('SENT');
  const inbox = mail.messages().filter((m) => m.to.includes(user.email));
  expect(inbox).toHaveLength(1);
  expect(inbox[0]?.messageId).toBe(messageIdFor(key));
  // The resend happened and was recognised by its Message-ID, as a mailbox provider does.
  expect(mail.duplicatesDropped()).toBe(1);
  const [row] = await createNotificationRepository(db()).listForOrder(orderId);
  expect(row).toMatchObject({ type: 'order_confirmed', status: 'SENT', to: user.email });
});
