/** The bench's drain: it waits out slow progress and gives up only on a stall. */
import { drain } from '../../bench/drain';

test('keeps waiting while the count moves, however long the whole takes', async () => {
  let done = 0;
  // One more every 100 ms: the whole takes 1.5 s, three times the allowed stall.
  const timer = setInterval(() => done++, 100);
  try {
    expect(await drain(() => done, 15, 500, 10)).toBe(15);
  } finally {
    clearInterval(timer);
  }
});

test('returns what is done once the count stops moving for the stall time', async () => {
  let done = 0;
  const timer = setInterval(() => {
    if (done < 3) done++;
  }, 5);
  try {
    expect(await drain(() => done, 10, 300, 5)).toBe(3);
  } finally {
    clearInterval(timer);
  }
});

test('returns at once when everything is already done', async () => {
  expect(await drain(async () => 4, 4, 1_000)).toBe(4);
});
