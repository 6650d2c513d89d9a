/**
 * What support staff read when the API refuses a console action: the refund and approval codes of
 * docs/api.md#problem-codes in sentences, everything else as the storefront says it (../problem-messages.ts).
 */
import type { Problem } from '../../contract/response-schemas';
import { problemMessage } from '../problem-messages';

export function consoleProblemMessage(problem: Problem, format: (cents: number) => string): string {
  const left =
    problem.refundableCents === undefined ? '' : ` At most ${format(problem.refundableCents)} can still be refunded.`;
  switch (problem.code) {
    case 'refund_exceeds_captured':
      return `That is more than the payment can still give back.${left}`;
    case 'restock_requires_full_refund':
      return `Restocking needs a refund of everything still refundable.${left}`;
    case 'approval_by_requester':
      return 'You asked for this refund, so another admin has to approve or reject it.';
    case 'refund_not_awaiting_approval':
      return 'This refund is no longer waiting for a decision.';
    case 'order_not_cancellable':
      return 'This order can no longer be cancelled: it has been picked up by the carrier, or it is finished.';
    case 'forbidden':
      return 'Your role cannot do that.';
    default:
      return problemMessage(problem);
  }
}

/** Messages after a successful action (the page is reached again by a redirect: POST-redirect-GET). */
export const NOTICES = {
  cancel: 'Cancellation requested. The order page shows its progress.',
  refund: 'Refund requested.',
  'refund-awaiting': 'Refund requested. It waits for an admin to approve it.',
  approve: 'Refund approved.',
  reject: 'Refund rejected.',
} as const;
export type NoticeKey = keyof typeof NOTICES;

export const isNoticeKey = (key: string | undefined): key is NoticeKey => key !== undefined && key in NOTICES;
