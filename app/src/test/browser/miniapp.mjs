// A production deployment with the mini app configured, opened in a plain browser: the page explains how to open the
// app in a Farcaster client (no FID form, no dev wallet), carries the fc:miniapp embed, and the manifest is served; the
// dev stack, with no mini app settings, has neither.
import { env, open, axe, shot, check, run } from './lib.mjs';

const production = process.env.PRODUCTION_URL;

await run(async (browser) => {
  check(production, 'PRODUCTION_URL must be set');
  const manifestResponse = await fetch(`${production}/.well-known/farcaster.json`);
  check(manifestResponse.status === 200, `the manifest answered ${manifestResponse.status}`);
  const manifest = await manifestResponse.json();
  check(manifest.accountAssociation.header === 'eyJmaWQiOjUwNSwidHlwZSI6ImN1c3RvZHkifQ', 'the manifest lost its header');
  check(manifest.miniapp.name === 'base-nft drops' && manifest.miniapp.homeUrl === 'https://drops.example.com/',
    `the manifest's app is wrong: ${JSON.stringify(manifest.miniapp)}`);
  check((await fetch(`${env.base}/.well-known/farcaster.json`)).status === 404, 'the dev stack serves a manifest it has no settings for');

  const page = await open(browser);
  await page.goto(production + '/');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  const text = await page.locator('main').innerText();
  check(/Open it inside a Farcaster client/.test(text), `the page does not say how to open the app: ${text}`);
  check(await page.getByLabel('Your FID').count() === 0, 'a production page offers dev sign-in');
  const embed = JSON.parse(await page.locator('meta[name="fc:miniapp"]').getAttribute('content'));
  check(embed.version === '1' && embed.button.action.type === 'launch_miniapp'
    && embed.button.action.url === 'https://drops.example.com/', `the embed is wrong: ${JSON.stringify(embed)}`);
  await axe(page, 'outside a client');
  await shot(page, 'frame-outside-farcaster');

  const dev = await open(browser);
  await dev.goto(env.base + '/');
  await dev.getByRole('heading', { name: 'Sign in' }).waitFor();
  check(await dev.locator('meta[name="fc:miniapp"]').count() === 0, 'the dev page carries an embed it has no settings for');
});
