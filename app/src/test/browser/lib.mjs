// Shared by the console's browser scripts: the system's Chromium driven by playwright-core, axe-core on every page,
// screenshots, and the local chain's JSON-RPC. Each script is run by a JUnit *BrowserTest with the stack's addresses in
// its environment, and exits non-zero on the first failed check (the message says which).
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const AXE_CODE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const env = {
  base: need('CONSOLE_URL'),
  rpc: process.env.RPC_URL,
  shots: process.env.SCREENSHOT_DIR || 'target/screenshots',
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};

function need(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** The mini app frame of Farcaster clients, and a desktop window. */
export const VIEWPORTS = { frame: { width: 424, height: 695 }, desktop: { width: 1280, height: 860 } };

export async function launch() {
  return chromium.launch({ executablePath: env.chromium, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A page whose console errors and failed scripts fail the run (a broken module shows up as a blank page otherwise). */
export async function open(browser, viewport = VIEWPORTS.frame, colorScheme = 'light') {
  // The page's Content-Security-Policy stays on: a script or connection it blocks must fail the test.
  const context = await browser.newContext({ viewport, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (e) => { console.error(`page error: ${e.message}`); process.exitCode = 1; });
  // A CSP refusal is only a console message; it would otherwise pass unnoticed until something hangs.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) { console.error(`CSP: ${m.text()}`); process.exitCode = 1; }
  });
  return page;
}

/** Runs axe-core on the page as it is now; fails on any serious or critical violation, naming them. */
export async function axe(page, label) {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern (a script tag would be refused).
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.evaluate(AXE_CODE);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  console.log(`axe ${label}: ${result.length} violation(s), ${bad.length} serious or critical`);
  if (bad.length) throw new Error(`axe on ${label}: ${JSON.stringify(bad, null, 1)}`);
}

export async function shot(page, name) {
  mkdirSync(env.shots, { recursive: true });
  const file = path.join(env.shots, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot ${file}`);
}

export async function rpc(method, params = []) {
  const res = await fetch(env.rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const json = await res.json();
  if (json.error) throw new Error(`${method}: ${JSON.stringify(json.error)}`);
  return json.result;
}

/** Sends a call from an unlocked account of the local chain and waits for a successful receipt. */
export async function sendFrom(from, to, data) {
  const hash = await rpc('eth_sendTransaction', [{ from, to, data }]);
  for (let i = 0; i < 120; i++) {
    const receipt = await rpc('eth_getTransactionReceipt', [hash]);
    if (receipt) {
      if (receipt.status !== '0x1') throw new Error(`${data} to ${to} reverted`);
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${hash} was not mined`);
}

export function addresses(n) {
  return Array.from({ length: n }, () => '0x' + randomBytes(20).toString('hex'));
}

/** Signs in through the form (dev sign-in) as `fid`. */
export async function devSignIn(page, fid) {
  await page.goto(env.base + '/');
  await page.getByLabel('Your FID').fill(String(fid));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your campaigns' }).waitFor();
}

/** Creates a campaign through the wizard's first step and returns its id (from the URL). */
export async function createCampaign(page, name, symbol) {
  await page.getByRole('link', { name: 'New campaign' }).click();
  await page.getByLabel('Name', { exact: false }).first().fill(name);
  await page.getByLabel('Symbol').fill(symbol);
  await page.getByLabel('Base URI').fill('ipfs://console-test/');
  await page.getByRole('button', { name: 'Create and continue' }).click();
  await page.getByRole('heading', { name: `Deploy ${name}` }).waitFor();
  return page.url().match(/#\/c\/([0-9a-f-]{36})/)[1];
}

/** Deploys with the dev wallet and waits for the attached collection; returns its address. */
export async function deployWithDevWallet(page, name) {
  await page.getByRole('button', { name: /Deploy with Dev wallet/ }).click();
  await page.getByRole('heading', { name: `${name} is deployed` }).waitFor({ timeout: 90_000 });
  const text = await page.locator('main').innerText();
  return text.match(/Collection address: (0x[0-9a-fA-F]{40})/)[1];
}

export async function waitForText(page, locator, predicate, what, timeout = 180_000) {
  const deadline = Date.now() + timeout;
  let last = null;
  while (Date.now() < deadline) {
    last = await locator.innerText().catch(() => null);
    if (last !== null && predicate(last)) return last;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${last}`);
}

export function check(condition, message) {
  if (!condition) throw new Error(message);
}

/** Runs the scenario, closing the browser either way; any throw fails the process with its message. */
export async function run(scenario) {
  const browser = await launch();
  try {
    await scenario(browser);
    console.log('PASS');
  } catch (e) {
    console.error(`FAIL: ${e.stack || e.message}`);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
