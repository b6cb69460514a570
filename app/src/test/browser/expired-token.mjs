// An expired Quick Auth token: the console signed in with a real signed token (from the test's issuer, verified by the
// server against its JWKS) works until the token's exp, then the next call gets 401 and the user is back at sign-in,
// told why, with the token forgotten.
import { env, open, axe, shot, check, run } from './lib.mjs';

const token = process.env.TOKEN;
const expiresAt = Number(process.env.TOKEN_EXPIRES_AT_MS);

await run(async (browser) => {
  check(token && expiresAt, 'TOKEN and TOKEN_EXPIRES_AT_MS must be set');
  const page = await open(browser);
  await page.goto(env.base + '/');
  await page.evaluate((t) => sessionStorage.setItem('basenft.token', t), token);
  await page.reload();
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
  await page.getByText('No campaigns yet.').waitFor();
  check(Date.now() < expiresAt, 'the token expired before the signed-in page was checked; give it more time');

  await page.waitForTimeout(Math.max(0, expiresAt - Date.now()) + 1500);
  await page.getByRole('link', { name: 'New', exact: true }).click();
  await page.getByLabel('Name', { exact: false }).first().fill('Too late');
  await page.getByLabel('Symbol').fill('LATE');
  await page.getByRole('button', { name: 'Create and continue' }).click();

  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const notice = await page.getByRole('status').filter({ hasText: 'signed out' }).innerText();
  check(/signed out .*expired/i.test(notice), `the sign-in page does not say why: ${notice}`);
  check(await page.evaluate(() => sessionStorage.getItem('basenft.token')) === null, 'the expired token was kept');
  await axe(page, 'signed out');
  await shot(page, 'frame-expired-token');
});
