// Pause, Resume and Cancel on the campaign page, pressed from the keyboard only (Tab to the button, then Enter or
// Space): a running drop is paused (the page says PAUSED and offers Resume, and no more is minted while it is), resumed
// (running again, on to COMPLETED); a second running drop is cancelled through the confirm dialog (dismissing it first
// changes nothing). Each state is checked on the page and through the API, so a button that calls the wrong route, or
// a page that shows a state the server does not have, fails the run.
import { env, open, axe, addresses, devSignIn, createCampaign, deployWithDevWallet, waitForText, check, run } from './lib.mjs';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const FID = 505;
// 30 batches of 200 (the stack's BATCH_SIZE): anvil mines a few a second, so the drop is still running when the
// buttons are pressed.
const RECIPIENTS = 6000;

/** The campaign as the API has it, read with the same dev token as the page. */
async function apiCampaign(id) {
  const res = await fetch(`${env.base}/api/campaigns/${id}`, { headers: { Accept: 'application/json', Authorization: `Bearer dev:${FID}` } });
  check(res.ok, `GET /api/campaigns/${id} answered ${res.status}`);
  return res.json();
}

async function waitForApiStatus(page, id, status, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  let last;
  while (Date.now() < deadline) {
    last = await apiCampaign(id);
    if (last.status === status) return last;
    await page.waitForTimeout(200);
  }
  throw new Error(`the API never said ${status} for ${id}; last: ${JSON.stringify(last)}`);
}

/**
 * Whether focus ends up where `where` says within a few seconds: live updates may move it on the way (a control hidden
 * by an update sent just before the click hands it to one still shown), but a keyboard user must not lose it.
 */
async function focusSettlesOn(page, where) {
  try {
    await page.waitForFunction(where, null, { timeout: 5_000 });
    return true;
  } catch {
    return false;
  }
}

/** Moves focus with Tab alone until the element with `id` has it, as a keyboard user reaches a button. */
async function tabTo(page, id) {
  await page.evaluate(() => document.activeElement?.blur());
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
  }
  throw new Error(`Tab never reached #${id}`);
}

/** A campaign deployed, with RECIPIENTS uploaded and its distribution started; the page is left on the campaign. */
async function runningDrop(page, name, symbol) {
  const id = await createCampaign(page, name, symbol);
  await deployWithDevWallet(page, name);
  await page.getByRole('link', { name: 'Add recipients' }).click();
  await page.getByRole('heading', { name: `Recipients of ${name}` }).waitFor();
  const csv = ['address', ...addresses(RECIPIENTS)].join('\n');
  await page.locator('#csvfile').setInputFiles({ name: 'recipients.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload recipients' }).click();
  await page.getByRole('heading', { name: `Review ${name}` }).waitFor();
  await page.getByRole('button', { name: /Distribute to 6,000/ }).click();
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'PROCESSING', `${name} to be PROCESSING`, 30_000);
  return id;
}

const minted = (c) => c.counts.recipients.COMPLETED ?? 0;

await run(async (browser) => {
  const started = Date.now();
  const page = await open(browser);
  await devSignIn(page, FID);

  // Pause from the keyboard (Enter) while it runs.
  const paused = await runningDrop(page, 'Paused drop', 'PAUSD');
  const pause = page.locator('#pause');
  const resume = page.locator('#resume');
  check(await resume.isHidden(), 'Resume is offered while the drop runs');
  await tabTo(page, 'pause');
  await page.keyboard.press('Enter');
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'PAUSED', 'the page to show PAUSED', 15_000);
  await page.getByRole('status').filter({ hasText: 'Campaign is paused.' }).waitFor();
  await resume.waitFor({ state: 'visible' });
  // The pressed button hides; the keyboard stays on the one that undoes it, not back at the top of the page.
  check(await focusSettlesOn(page, () => document.activeElement?.id === 'resume'), 'focus did not move to Resume after Pause');
  check(await pause.isHidden(), 'Pause is still offered on a paused drop');
  check(await page.locator('#cancel').isVisible(), 'Cancel is not offered on a paused drop');
  const atPause = await waitForApiStatus(page, paused, 'PAUSED', 5_000);
  console.log(`paused at ${minted(atPause)} of ${RECIPIENTS} minted`);
  // Batches signed before the pause still land; after that nothing more may be minted while it stays paused.
  await page.waitForTimeout(4_000);
  const settled = await apiCampaign(paused);
  await page.waitForTimeout(3_000);
  const still = await apiCampaign(paused);
  check(still.status === 'PAUSED', `the API says ${still.status} after the pause`);
  check(minted(still) === minted(settled), `minting went on while paused: ${minted(settled)} then ${minted(still)}`);
  check(minted(still) < RECIPIENTS, `the pause came too late to stop anything (${minted(still)} minted)`);
  check((await page.locator('h1 .status').innerText()) === 'PAUSED', 'the page no longer shows PAUSED');
  console.log(`still paused at ${minted(still)} minted`);
  await axe(page, 'paused campaign');
  // The frame only, not the full page (lib's shot): 30 batch rows would make it four screens long.
  mkdirSync(env.shots, { recursive: true });
  await page.screenshot({ path: path.join(env.shots, 'frame-paused.png') });
  console.log(`screenshot ${path.join(env.shots, 'frame-paused.png')}`);

  // Resume from the keyboard (Space): running again, then on to the end.
  await tabTo(page, 'resume');
  await page.keyboard.press(' ');
  await page.getByRole('status').filter({ hasText: 'Campaign is processing.' }).waitFor();
  check(await focusSettlesOn(page, () => ['pause', 'cancel'].includes(document.activeElement?.id)
    || document.activeElement?.textContent?.includes('Campaign is processing.')), 'focus did not stay on a control after Resume');
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'PROCESSING' || t === 'COMPLETED', 'the page to show the drop running again', 15_000);
  const resumed = await apiCampaign(paused);
  check(resumed.status === 'PROCESSING' || resumed.status === 'COMPLETED', `the API says ${resumed.status} after Resume`);
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'COMPLETED', 'the resumed drop to complete', 60_000);
  await waitForText(page, page.locator('#progress-text'), (t) => t.startsWith('6,000 of 6,000'), '6,000 of 6,000 minted');
  const done = await apiCampaign(paused);
  check(done.status === 'COMPLETED' && minted(done) === RECIPIENTS, `the API does not have the drop completed: ${JSON.stringify(done)}`);
  check(await pause.isHidden() && await resume.isHidden() && await page.locator('#cancel').isHidden(), 'controls offered on a completed drop');

  // Cancel a second running drop: the confirm dialog, dismissed first (nothing happens), then accepted.
  await page.goto(env.base + '/#/');
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  const cancelled = await runningDrop(page, 'Cancelled drop', 'CNCLD');
  const dialogs = [];
  page.once('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await tabTo(page, 'cancel');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(500);
  check(dialogs.length === 1 && /Cancel the distribution\?/.test(dialogs[0]), `no confirm dialog before cancelling: ${dialogs}`);
  const kept = await apiCampaign(cancelled);
  check(kept.status === 'PROCESSING', `dismissing the dialog left the drop ${kept.status}`);
  page.once('dialog', (d) => { dialogs.push(d.message()); d.accept(); });
  await tabTo(page, 'cancel');
  await page.keyboard.press('Enter');
  await waitForText(page, page.locator('h1 .status'), (t) => t === 'CANCELLED', 'the page to show CANCELLED', 15_000);
  await page.getByRole('status').filter({ hasText: 'Campaign is cancelled.' }).waitFor();
  check(await focusSettlesOn(page, () => document.activeElement?.textContent?.includes('Campaign is cancelled.')),
    'focus did not move to the status box after Cancel');
  check(dialogs.length === 2, 'the second Cancel asked no confirmation');
  const gone = await waitForApiStatus(page, cancelled, 'CANCELLED', 5_000);
  check((gone.counts.batches.CANCELLED ?? 0) > 0, `no batch was cancelled: ${JSON.stringify(gone.counts)}`);
  check(await page.locator('#pause').isHidden() && await page.locator('#resume').isHidden() && await page.locator('#cancel').isHidden(),
    'controls offered on a cancelled drop');
  console.log(`cancelled with ${gone.counts.batches.CANCELLED} batch(es) unsigned, ${minted(gone)} minted`);
  await axe(page, 'cancelled campaign');
  console.log(`scenario took ${Math.round((Date.now() - started) / 1000)} s`);
});
