// A drop made to fail: the creator (the collection's admin) pauses the collection, so every mint reverts and the
// campaign page shows FAILED batches with their error in words; then the creator unpauses it and the operator clicks
// Retry Failed, which says how many batches went back, and the page follows the rescue to COMPLETED. A second page,
// whose event stream is cut off, follows the same rescue by polling.
import { env, open, axe, shot, VIEWPORTS, addresses, devSignIn, createCampaign, deployWithDevWallet, waitForText, check, run, rpc, sendFrom } from './lib.mjs';

const PAUSE = '0x8456cb59'; // pause()
const UNPAUSE = '0x3f4ba83a'; // unpause()

await run(async (browser) => {
  const page = await open(browser);
  await devSignIn(page, 503);
  await createCampaign(page, 'Rescued drop', 'RESC');
  const collection = await deployWithDevWallet(page, 'Rescued drop');
  const [, , creator] = await rpc('eth_accounts');
  await page.getByRole('link', { name: 'Add recipients' }).click();
  await page.getByLabel('Recipients', { exact: false }).first().fill(addresses(450).join('\n'));
  await page.getByRole('button', { name: 'Upload recipients' }).click();
  await page.getByRole('heading', { name: 'Review Rescued drop' }).waitFor();

  await sendFrom(creator, collection, PAUSE);
  await page.getByRole('button', { name: /Distribute to 450/ }).click();
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'FAILED', 'the campaign to fail');
  const retry = page.getByRole('button', { name: 'Retry Failed' });
  await retry.waitFor();
  const table = await page.locator('tbody').innerText();
  const failed = await page.locator('tbody tr:not(.error-row)').filter({ hasText: 'FAILED' }).count();
  check(failed === 3, `expected 3 failed batches, saw ${failed}: ${table}`);
  const errors = await page.locator('tbody tr.error-row').allInnerTexts();
  check(errors.length === 3 && errors.every((e) => /paused/i.test(e)), `the batches' errors do not say the collection is paused: ${table}`);
  console.log(`batch error shown: ${errors[0]}`);
  check((await page.locator('dd[data-status="FAILED"]').innerText()) === '450', 'the failed count is not 450');
  await axe(page, 'failed campaign');
  await shot(page, 'frame-failed');

  // The same campaign where the event stream cannot be had: the page says it polls, and keeps up anyway.
  const polling = await open(browser, VIEWPORTS.desktop);
  await polling.route('**/events', (route) => route.abort());
  await polling.goto(env.base + '/');
  await polling.evaluate(() => sessionStorage.setItem('basenft.token', 'dev:503'));
  await polling.goto(page.url());
  await polling.reload();
  await polling.getByText('Updating every few seconds.').waitFor();
  await waitForText(polling, polling.locator('h1 .status'), (t) => t === 'FAILED', 'FAILED while polling');

  await sendFrom(creator, collection, UNPAUSE);
  await retry.click();
  await page.getByRole('status').filter({ hasText: `${failed} failed batch(es) went back to the queue.` }).waitFor();
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'COMPLETED', 'the rescue to complete');
  await waitForText(page, page.locator('#progress-text'), (t) => t.startsWith('450 of 450'), '450 of 450 minted');
  check(await retry.isHidden(), 'Retry Failed is still offered with nothing failed');
  await waitForText(polling, polling.locator('#progress-text'), (t) => t.startsWith('450 of 450'), '450 of 450 while polling');
  await axe(page, 'rescued campaign');
  await shot(page, 'frame-rescued');
});
