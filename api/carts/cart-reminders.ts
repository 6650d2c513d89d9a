/**
 * Keeps each customer cart's abandoned-cart timer (workflows/cart-reminder.ts) in step with the
 * cart: a change signals it with signal-with-start (so the first change starts it), and checkout,
 * merge or emptying ends it. Guest carts have no timer: there is nobody to email.
 *
 * Changes are coalesced per cart (CART_REMINDER_COALESCE_SECONDS, 60 by default): the first change
 * of a window signals at once, and the answer waits for it, as before; further changes of that cart
 * inside the window are only noted, and one signal at the window's end restarts the wait. Each
 * signal is a history write, a workflow task and a timer restarted on the Temporal server, and a
 * shopper makes most changes of a session within a minute of each other: measured, signalling every
 * change held add-to-cart at a third of its rate without (docs/performance.md#carts). The price is
 * that the reminder may come up to one window later than CART_REMINDER_AFTER_HOURS after the last
 * change, never earlier. An end is never coalesced: it waits for that cart's signal in flight, drops
 * the noted change, and is sent at once. One instance per API process (AppDependencies), so the
 * checkout's end and the cart routes' changes meet in it; `flush` sends what is noted at shutdown.
 *
 * Best effort by design: the cart change is already committed when this runs, so a Temporal
 * outage is logged and the change still succeeds; at worst that cart gets no reminder (a change
 * noted when the process dies unflushed: its reminder may come up to one window early). A stray
 * timer is harmless: the reminder is sent only for a cart still OPEN with lines.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { cartReminderWorkflowId } from '../../domain/ids';
import { CartIdKey, CustomerIdKey } from '../../domain/search-attributes';
import type { Logger } from '../../platform/logger';
import type { cartReminder } from '../../workflows/cart-reminder';
import { cartActivitySignal, type CartActivity } from '../../workflows/definitions';

export interface CartReminders {
  /** The customer's cart changed and still has lines: start the wait again. */
  changed(cartId: string, customerId: string): Promise<void>;
  /** The cart was checked out, merged or emptied: no reminder. */
  ended(cartId: string): Promise<void>;
  /** Sends the changes noted in open windows now (before the Temporal connection closes). */
  flush(): Promise<void>;
}

/** One cart's open window: its last signal, and the change noted since (the customer), if any. */
interface Window {
  sent: Promise<void>;
  noted: string | null;
  timer: NodeJS.Timeout | undefined;
}

export function createCartReminders(deps: {
  temporal: Client;
  taskQueue: string;
  quietForHours: number;
  /** Coalescing window per cart, ms; 0: every change signals. */
  coalesceMs: number;
  logger: Logger;
}): CartReminders {
  const failed = (cartId: string, error: unknown): void =>
    deps.logger.warn({ cartId, err: error }, 'cart reminder timer not updated');
  const signalChanged = async (cartId: string, customerId: string): Promise<void> => {
    try {
      await deps.temporal.workflow.signalWithStart<typeof cartReminder, [CartActivity]>('cartReminder', {
        workflowId: cartReminderWorkflowId(cartId),
        taskQueue: deps.taskQueue,
        args: [{ cartId, customerId, quietFor: `${deps.quietForHours} hours` }],
        signal: cartActivitySignal,
        signalArgs: [{ kind: 'changed' }],
        typedSearchAttributes: [
          { key: CartIdKey, value: cartId },
          { key: CustomerIdKey, value: customerId },
        ],
      });
    } catch (error) {
      failed(cartId, error);
    }
  };
  const signalEnded = async (cartId: string): Promise<void> => {
    try {
      await deps.temporal.workflow
        .getHandle(cartReminderWorkflowId(cartId))
        .signal(cartActivitySignal, { kind: 'ended' });
    } catch (error) {
      // No timer (never changed, already reminded or ended): nothing to end.
      if (!(error instanceof WorkflowNotFoundError)) failed(cartId, error);
    }
  };
  if (deps.coalesceMs <= 0) return { changed: signalChanged, ended: signalEnded, flush: async () => undefined };

  const windows = new Map<string, Window>();
  const open = (cartId: string, sent: Promise<void>): Window => {
    const window: Window = { sent, noted: null, timer: undefined };
    window.timer = setTimeout(() => close(cartId, window), deps.coalesceMs);
    // A window never keeps the process alive: shutdown flushes it.
    window.timer.unref();
    windows.set(cartId, window);
    return window;
  };
  const close = (cartId: string, window: Window): void => {
    if (windows.get(cartId) !== window) return;
    windows.delete(cartId);
    const customerId = window.noted;
    // The noted change restarts the wait, and opens the next window.
    if (customerId !== null)
      open(
        cartId,
        window.sent.then(() => signalChanged(cartId, customerId)),
      );
  };
  const take = (cartId: string): Window | undefined => {
    const window = windows.get(cartId);
    if (window) {
      clearTimeout(window.timer);
      windows.delete(cartId);
    }
    return window;
  };
  return {
    async changed(cartId, customerId) {
      const window = windows.get(cartId);
      if (window) {
        window.noted = customerId;
        return;
      }
      await open(cartId, signalChanged(cartId, customerId)).sent;
    },
    async ended(cartId) {
      await take(cartId)?.sent;
      await signalEnded(cartId);
    },
    async flush() {
      await Promise.all(
        [...windows.keys()].map(async (cartId) => {
          const window = take(cartId)!;
          await window.sent;
          if (window.noted !== null) await signalChanged(cartId, window.noted);
        }),
      );
    },
  };
}
