// The whole wizard by hand, in the mini app frame: sign in, details, deploy from the dev wallet, 500 recipients from a
// CSV file, review, distribute, and the campaign page following the drop live to COMPLETED; then the list. axe on every
// page; screenshots in the frame and on a desktop.
import { env, open, axe, shot, addresses, devSignIn, createCampaign, deployWithDevWallet, waitForText, check, run, VIEWPORTS } from './lib.mjs';

await run(async (browser) => {
  const page = await open(browser, VIEWPORTS.frame);
  await page.goto(env.base + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await axe(page, 'sign-in');
  await shot(page, 'frame-1-sign-in');
  await devSignIn(page, 501);
  await axe(page, 'empty list');

  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.getByRole('heading', { name: 'New campaign' }).waitFor();
  // Empty required fields: the errors are words next to the fields, and focus goes to the first.
  await page.getByRole('button', { name: 'Create and continue' }).click();
  check((await page.locator('#name-error').innerText()).includes('name'), 'no error next to the empty name');
  check(await page.evaluate(() => document.activeElement.id === 'name'), 'focus did not move to the first bad field');
  await axe(page, 'details with errors');
  await shot(page, 'frame-2-details-errors');
  await page.goto(env.base + '/#/');
  const id = await createCampaign(page, 'Console drop', 'CDROP');
  await axe(page, 'deploy');
  await shot(page, 'frame-3-deploy');

  const collection = await deployWithDevWallet(page, 'Console drop');
  console.log(`collection ${collection}`);
  await axe(page, 'deployed');
  await shot(page, 'frame-4-deployed');

  await page.getByRole('link', { name: 'Add recipients' }).click();
  await page.getByRole('heading', { name: 'Recipients of Console drop' }).waitFor();
  await axe(page, 'recipients');
  const csv = ['address', ...addresses(500)].join('\n');
  await page.locator('#csvfile').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload recipients' }).click();
  await page.getByRole('heading', { name: 'Review Console drop' }).waitFor();
  check((await page.locator('#review-count').innerText()).replace(/\D/g, '') === '500', 'review does not count 500');
  check((await page.locator('#review-batches').innerText()) === '3', 'review does not show 3 batches of 200');
  await axe(page, 'review');
  await shot(page, 'frame-5-review');

  await page.getByRole('button', { name: /Distribute to 500/ }).click();
  await page.getByRole('heading', { name: /Console drop/ }).waitFor();
  await page.getByText('Live: updates as batches are minted.').waitFor();
  // No reload from here on: the page follows the event stream.
  await waitForText(page, page.locator('#progress-text'), (t) => t.startsWith('500 of 500'), '500 of 500 minted');
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'COMPLETED', 'COMPLETED');
  const rows = await page.locator('tbody tr:not(.error-row)').count();
  check(rows === 3, `expected 3 batch rows, saw ${rows}`);
  check((await page.locator('tbody').innerText()).split('COMPLETED').length - 1 === 3, 'not every batch shows COMPLETED');
  check(await page.locator('tbody a[href^="#/tx/0x"]').count() === 3, 'batches without a transaction link');
  await axe(page, 'campaign completed');
  await shot(page, 'frame-6-completed');

  await page.locator('tbody a[href^="#/tx/0x"]').first().click();
  await page.getByText('success').waitFor();
  await axe(page, 'transaction');

  await page.getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('list', { name: 'Campaigns' }).waitFor();
  const list = await page.locator('main').innerText();
  check(list.includes('Console drop') && list.includes('COMPLETED') && list.includes('500 recipient(s): 500 minted'),
    `the list does not show the drop with its counts: ${list}`);
  await axe(page, 'list');
  await shot(page, 'frame-7-list');

  // Keyboard: from the top, the skip link is the first stop; every stop shows its focus; Enter follows a link.
  await page.reload();
  await page.getByRole('list', { name: 'Campaigns' }).waitFor();
  await page.keyboard.press('Tab');
  check(await page.evaluate(() => document.activeElement.classList.contains('skip')), 'the first Tab does not reach the skip link');
  for (let i = 0; i < 4; i++) {
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    check(outline !== 'none', `focus is invisible on stop ${i + 1}`);
    await page.keyboard.press('Tab');
  }
  for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.textContent === 'New campaign')); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'New campaign' }).waitFor();

  const desk = await open(browser, VIEWPORTS.desktop, 'dark');
  await desk.goto(env.base + '/');
  await desk.evaluate(() => sessionStorage.setItem('basenft.token', 'dev:501'));
  await desk.goto(`${env.base}/#/c/${id}`);
  await desk.reload();
  await waitForText(desk, desk.locator('h1 .status'), (t) => t === 'COMPLETED', 'COMPLETED on desktop');
  await axe(desk, 'campaign (desktop, dark)');
  await shot(desk, 'desktop-campaign-dark');
  await desk.goto(`${env.base}/#/`);
  await desk.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  await desk.getByRole('list', { name: 'Campaigns' }).waitFor();
  await shot(desk, 'desktop-list-dark');
});
