// Follows an order on its page without a reload: polls the page's JSON view of the order
// (/orders/:id/live, same origin, session cookie) and writes what changed into the elements marked
// with data-field. Polls quickly while things move, slower while nothing does, and stops once the
// order is settled. Loaded as a module from this origin (the page CSP allows nothing inline).
const root = document.querySelector('[data-live-order]');

const FASTEST_MS = 1000;
const SLOWEST_MS = 5000;

function field(name) {
  return root.querySelector(`[data-field="${name}"]`);
}

function showText(name, text) {
  const element = field(name);
  if (!element) return;
  element.textContent = text ?? '';
  element.hidden = !text;
}

function apply(view) {
  root.dataset.status = view.status;
  showText('status', view.statusText);
  showText('failure', view.failureText);
  showText('payment', view.paymentText);
  showText('shipment', view.shipmentText);
  const challenge = field('challenge');
  if (challenge) {
    challenge.hidden = !view.challengeUrl;
    const link = challenge.querySelector('a');
    if (link && view.challengeUrl) link.href = view.challengeUrl;
  }
  const restored = field('cart-restored');
  if (restored) restored.hidden = !view.cartRestored;
}

if (root) {
  const source = root.dataset.liveOrder;
  let delay = FASTEST_MS;
  let last = root.dataset.status;

  const poll = async () => {
    try {
      const response = await fetch(source, { headers: { Accept: 'application/json' }, cache: 'no-store' });
      if (response.status === 401) {
        // The session ended: reloading sends the shopper to sign in and back here.
        window.location.reload();
        return;
      }
      if (response.ok) {
        const view = await response.json();
        const changed = view.status !== last;
        last = view.status;
        apply(view);
        if (view.settled) return;
        delay = changed ? FASTEST_MS : Math.min(SLOWEST_MS, Math.round(delay * 1.5));
      } else {
        delay = SLOWEST_MS;
      }
    } catch {
      delay = SLOWEST_MS; // offline for a moment: try again later
    }
    setTimeout(poll, delay);
  };

  if (root.dataset.settled !== 'true') setTimeout(poll, FASTEST_MS);
}
