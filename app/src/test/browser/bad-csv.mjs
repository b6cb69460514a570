// A CSV with bad lines: the server's errors appear in words at their line numbers, next to the field, and nothing is
// stored (the API still counts 0 recipients; the campaign stays at the recipients step). Then the fixed list goes in,
// and a CSV file of 100,000 more lines, with the upload's progress shown while it goes.
import { env, open, axe, shot, addresses, devSignIn, createCampaign, deployWithDevWallet, check, run } from './lib.mjs';

const FID = 502;

await run(async (browser) => {
  const page = await open(browser);
  await devSignIn(page, FID);
  const id = await createCampaign(page, 'Bad lines', 'BAD');
  await deployWithDevWallet(page, 'Bad lines');
  await page.getByRole('link', { name: 'Add recipients' }).click();

  const good = addresses(4);
  const lines = ['address', good[0], '0x1234', good[1], 'not an address', good[2], `${good[3]},-5`];
  await page.getByLabel('Recipients', { exact: false }).first().fill(lines.join('\n'));
  await page.getByRole('button', { name: 'Upload recipients' }).click();
  const list = page.getByRole('list', { name: 'Invalid lines' });
  await list.waitFor();
  const text = await list.innerText();
  console.log(text);
  for (const n of [3, 5, 7]) check(text.includes(`Line ${n}:`), `line ${n} is not listed: ${text}`);
  check(!text.includes('Line 2:') && !text.includes('Line 4:'), `good lines are listed as bad: ${text}`);
  check(text.includes('0x1234') && text.includes('not an address'), 'the bad lines\' text is not shown beside their errors');
  const fieldError = await page.locator('#recipients-error').innerText();
  check(/3 line\(s\) are invalid; nothing was stored/.test(fieldError), `no error next to the field: ${fieldError}`);
  check(await page.locator('#recipients').getAttribute('aria-invalid') === 'true', 'the field is not marked invalid');
  await axe(page, 'bad lines');
  await shot(page, 'frame-bad-csv');

  const stored = await (await fetch(`${env.base}/api/campaigns/${id}`, { headers: { Authorization: `Bearer dev:${FID}` } })).json();
  const total = Object.values(stored.counts.recipients).reduce((a, b) => a + b, 0);
  check(total === 0, `the server stored ${total} recipient(s) from a rejected upload`);
  await page.reload();
  await page.getByRole('heading', { name: 'Recipients of Bad lines' }).waitFor();

  await page.getByLabel('Recipients', { exact: false }).first().fill(['address', ...good].join('\n'));
  await page.getByRole('button', { name: 'Upload recipients' }).click();
  await page.getByRole('heading', { name: 'Review Bad lines' }).waitFor();
  check((await page.locator('#review-count').innerText()) === '4', 'the fixed list did not go in');

  await page.getByRole('link', { name: 'Add more recipients' }).click();
  await page.getByRole('heading', { name: 'Recipients of Bad lines' }).waitFor();
  const big = ['address', ...addresses(100_000)].join('\n');
  await page.locator('#csvfile').setInputFiles({ name: 'big.csv', mimeType: 'text/csv', buffer: Buffer.from(big) });
  // What the progress indicator showed, recorded as it happened (on loopback the upload itself takes a moment).
  await page.evaluate(() => {
    window.seen = [];
    const bar = document.querySelector('main progress');
    new MutationObserver(() => {
      const text = document.querySelector('main p[role=status]')?.textContent;
      if (!bar.hidden && text) window.seen.push(text);
    }).observe(document.querySelector('main'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  const started = Date.now();
  await page.getByRole('button', { name: 'Upload recipients' }).click();
  await page.getByRole('heading', { name: 'Review Bad lines' }).waitFor({ timeout: 120_000 });
  const seen = await page.evaluate(() => window.seen);
  console.log(`100,000 lines uploaded in ${Date.now() - started} ms; progress shown: ${JSON.stringify([...new Set(seen)].slice(0, 6))}`);
  check(seen.some((t) => t.startsWith('Uploading')), 'no upload progress was shown');
  check((await page.locator('#review-count').innerText()).replace(/\D/g, '') === '100004', 'the 100,000 lines did not all go in');
  check((await page.locator('#review-batches').innerText()).replace(/\D/g, '') === '501', 'review does not show 501 batches');
});
