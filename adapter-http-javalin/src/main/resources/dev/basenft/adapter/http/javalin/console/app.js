// The base-nft console: sign in (Farcaster Quick Auth inside a Farcaster client; a FID under dev auth), the campaign
// wizard (details, deploy from the creator's wallet, recipients, review, distribute), and the campaign page with live
// progress and Retry Failed. Routes live in the URL hash so the server only serves one page.

import { sdk } from './miniapp-sdk.js';
import * as api from './api.js';
import { config, ApiError } from './api.js';
import { wallets, sendDeploy, devRpc } from './wallet.js';
import { h, show, navigating, announce, alertBox, statusBadge, field, fieldError, stepper } from './views.js';

let inMiniApp = false;
let stopFollowing = null;
let signInMessage = null;

function go(hash) {
  navigating();
  if (location.hash === hash) route(); else location.hash = hash;
}

api.whenUnauthorized((detail) => {
  signInMessage = `You were signed out (${detail}). Sign in again to go on.`;
  go('#/signin');
});

function renderAccount() {
  const nav = document.getElementById('account');
  nav.replaceChildren();
  if (!api.signedIn()) return;
  nav.append(h('a', { href: '#/' }, 'Campaigns'), h('a', { href: '#/new' }, 'New'),
    h('button', { class: 'link', type: 'button', onclick: () => { api.setToken(null); signInMessage = 'Signed out.'; go('#/signin'); } }, 'Sign out'));
}

function txLink(hash) {
  if (!hash) return '—';
  const short = `${hash.slice(0, 10)}…${hash.slice(-6)}`;
  if (config.explorer) return h('a', { href: `${config.explorer}/tx/${hash}`, target: '_blank', rel: 'noopener' }, short, h('span', { class: 'visually-hidden' }, ' (opens the explorer)'));
  if (devRpc) return h('a', { href: `#/tx/${hash}` }, short);
  return h('code', {}, short);
}

function addressLink(address) {
  if (config.explorer) return h('a', { class: 'mono', href: `${config.explorer}/address/${address}`, target: '_blank', rel: 'noopener' }, address);
  return h('code', {}, address);
}

function describe(error) {
  if (error instanceof ApiError) return error.message;
  if (error?.code === 4001) return 'You rejected the request in your wallet.';
  return error?.message || String(error);
}

// ---- sign-in ----

function signInPage() {
  const content = [h('h1', {}, 'Sign in')];
  if (signInMessage) content.push(alertBox(signInMessage, 'info'));
  if (inMiniApp) {
    const button = h('button', { type: 'button', onclick: async () => {
      button.disabled = true;
      try {
        const { token } = await sdk.quickAuth.getToken({ force: true, quickAuthServerOrigin: config.quickAuthOrigin });
        api.setToken(token);
        signInMessage = null;
        go('#/');
      } catch (e) {
        button.disabled = false;
        content.push(alertBox(`Sign-in failed: ${describe(e)}`));
        show('Sign in', content);
      }
    } }, 'Sign in with Farcaster');
    content.push(h('p', {}, 'Your Farcaster account identifies you; campaigns you create are yours alone.'), button);
  } else if (config.devSignIn) {
    const form = h('form', { novalidate: true, onsubmit: (e) => {
      e.preventDefault();
      const fid = document.getElementById('fid').value.trim();
      if (!/^[1-9][0-9]{0,17}$/.test(fid)) { fieldError('fid', 'Enter your FID: a whole number above 0, like 1.'); return; }
      fieldError('fid', null);
      api.setToken(`dev:${fid}`);
      signInMessage = null;
      go('#/');
    } },
      h('p', {}, 'This server runs in development with dev sign-in: act as any Farcaster ID.'),
      field({ id: 'fid', label: 'Your FID', hint: 'The Farcaster ID to act as, e.g. 1', value: '1', attrs: { inputmode: 'numeric', autocomplete: 'off' } }),
      h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in')));
    content.push(form);
  } else {
    content.push(h('p', {}, 'base-nft is a Farcaster mini app. Open it inside a Farcaster client: share this page\'s link in a cast and tap its button, or open it from the client\'s mini apps. Signing in happens there, with your Farcaster account.'),
      h('p', { class: 'muted' }, `Link: ${location.origin}/`));
  }
  show('Sign in', content);
}

// ---- campaign list ----

async function listPage() {
  show('Campaigns', h('h1', {}, 'Your campaigns'), h('p', { class: 'muted' }, 'Loading…'));
  const items = [];
  let cursor = null;
  do {
    const page = await api.get(`/api/campaigns?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  // The list has no counts; each campaign's own read has them.
  const detailed = await Promise.all(items.map((c) => api.get(`/api/campaigns/${c.id}`).catch(() => c)));
  const list = detailed.length === 0
    ? h('p', {}, 'No campaigns yet.')
    : h('ul', { class: 'list', 'aria-label': 'Campaigns' }, detailed.map((c) => {
      const r = c.counts?.recipients || {};
      const total = Object.values(r).reduce((a, b) => a + b, 0);
      return h('li', {}, h('a', { href: `#/c/${c.id}` }, c.name), ' ', statusBadge(c.status),
        h('div', { class: 'muted' }, `${c.symbol} · ${total} recipient(s): ${r.COMPLETED ?? 0} minted, ${r.FAILED ?? 0} failed, ${(r.PENDING ?? 0) + (r.PROCESSING ?? 0)} to go`));
    }));
  show('Campaigns', h('h1', {}, 'Your campaigns'), h('div', { class: 'actions' }, h('a', { class: 'button', href: '#/new' }, 'New campaign')), list);
}

// ---- wizard: details ----

function newPage() {
  const form = h('form', { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    const body = {};
    for (const name of ['name', 'symbol', 'description', 'baseUri']) {
      body[name] = document.getElementById(name).value.trim();
      fieldError(name, null);
    }
    let bad = false;
    if (!body.name) { fieldError('name', 'Give the collection a name.'); bad = true; }
    if (!body.symbol) { fieldError('symbol', 'Give the collection a symbol, like DROP.'); bad = true; }
    if (bad) { form.querySelector('[aria-invalid="true"]').focus(); return; }
    if (!body.description) delete body.description;
    if (!body.baseUri) delete body.baseUri;
    submit.disabled = true;
    try {
      const { body: campaign } = await api.post('/api/campaigns', body);
      go(`#/c/${campaign.id}`);
    } catch (err) {
      submit.disabled = false;
      const errors = err.problem?.errors || [];
      for (const fe of errors) if (fe.field) fieldError(fe.field, fe.detail);
      if (!errors.some((fe) => fe.field)) form.prepend(alertBox(describe(err)));
      form.querySelector('[aria-invalid="true"]')?.focus();
    }
  } },
  field({ id: 'name', label: 'Name', hint: 'The collection\'s name, shown by wallets and marketplaces', required: true }),
  field({ id: 'symbol', label: 'Symbol', hint: 'A short ticker, e.g. DROP', required: true }),
  field({ id: 'description', label: 'Description', hint: 'Optional', multiline: true }),
  field({ id: 'baseUri', label: 'Base URI', hint: 'Optional; token metadata is at this URI followed by the token id, e.g. ipfs://<cid>/' }),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Create and continue')));
  const submit = form.querySelector('button[type=submit]');
  show('New campaign', h('h1', {}, 'New campaign'), stepper(0), form);
}

// ---- wizard: deploy ----

async function deployStep(campaign) {
  const status = h('p', { role: 'status', class: 'muted' });
  const choices = h('div', { class: 'actions' });
  const error = h('div');
  show(`Deploy · ${campaign.name}`, h('h1', {}, `Deploy ${campaign.name}`), stepper(1),
    h('p', {}, `Your collection is deployed from your own wallet on chain ${campaign.chainId}; you stay its admin. Choose a wallet:`),
    choices, status, error);
  const found = await wallets(inMiniApp ? sdk : null);
  if (found.length === 0) {
    choices.append(h('p', {}, 'No wallet was found. Open the console in a Farcaster client, or in a browser with a wallet extension.'));
    return;
  }
  for (const w of found) {
    choices.append(h('button', { type: 'button', class: w === found[0] ? '' : 'secondary', onclick: async (e) => {
      error.replaceChildren();
      for (const b of choices.querySelectorAll('button')) b.disabled = true;
      try {
        const tx = await api.get(`/api/campaigns/${campaign.id}/deploy-transaction`);
        const hash = await sendDeploy(w.provider, tx, (t) => { status.textContent = t; });
        status.textContent = `Sent ${hash}. Waiting for it to be mined…`;
        const attached = await api.attach(campaign.id, hash);
        announce('Collection deployed');
        status.replaceChildren();
        show(`Deployed · ${campaign.name}`, h('h1', {}, `${campaign.name} is deployed`), stepper(2),
          alertBox('Your collection is deployed and attached to this campaign.', 'ok'),
          h('p', {}, 'Collection address: ', addressLink(attached.contract)),
          h('p', {}, 'Deploy transaction: ', txLink(hash)),
          h('div', { class: 'actions' }, h('a', { class: 'button', href: `#/c/${campaign.id}/recipients` }, 'Add recipients')));
      } catch (err) {
        for (const b of choices.querySelectorAll('button')) b.disabled = false;
        status.textContent = '';
        error.replaceChildren(alertBox(`The deployment did not go through: ${describe(err)}`));
      }
    } }, `Deploy with ${w.name}`));
  }
}

// ---- wizard: recipients ----

function recipientsStep(campaign) {
  const progress = h('progress', { max: 1, value: 0, hidden: true, 'aria-label': 'Upload progress' });
  const progressText = h('p', { role: 'status', class: 'muted' });
  const errors = h('div');
  const file = h('input', { id: 'csvfile', type: 'file', accept: '.csv,text/csv,text/plain', 'aria-describedby': 'csvfile-hint' });
  const form = h('form', { novalidate: true, onsubmit: async (e) => {
    e.preventDefault();
    errors.replaceChildren();
    fieldError('recipients', null);
    let text = document.getElementById('recipients').value;
    if (file.files[0]) text = await file.files[0].text();
    if (!text.trim()) { fieldError('recipients', 'Paste addresses, one per line, or choose a CSV file.'); document.getElementById('recipients').focus(); return; }
    const lines = text.split(/\r?\n/);
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    progressText.textContent = `Uploading ${lines.filter((l) => l.trim()).length.toLocaleString()} line(s)…`;
    try {
      const result = await api.uploadRecipients(campaign.id, text, (f) => {
        progress.value = f;
        progressText.textContent = f < 1 ? `Uploading… ${Math.round(f * 100)} %` : 'Checking every line…';
      });
      progressText.textContent = '';
      progress.hidden = true;
      announce(`${result.added} recipients added`);
      go(`#/c/${campaign.id}/review?added=${result.added}&duplicates=${result.duplicates}`);
    } catch (err) {
      submit.disabled = false;
      progress.hidden = true;
      progressText.textContent = '';
      const lineErrors = (err.problem?.errors || []).filter((x) => x.line);
      if (lineErrors.length) {
        fieldError('recipients', `${err.problem.invalidLines ?? lineErrors.length} line(s) are invalid; nothing was stored.`);
        errors.replaceChildren(alertBox(err.message), h('ul', { class: 'line-errors', 'aria-label': 'Invalid lines' },
          lineErrors.map((x) => h('li', {}, h('strong', {}, `Line ${x.line}: `), x.detail,
            lines[x.line - 1] !== undefined ? [' — ', h('code', {}, lines[x.line - 1].slice(0, 80))] : null))));
      } else {
        errors.replaceChildren(alertBox(`The upload failed: ${describe(err)}`));
      }
      document.getElementById('recipients').focus();
    }
  } },
  field({ id: 'recipients', label: 'Recipients', hint: 'One address per line; a CSV with an "address" column (and optionally "fid") works too', multiline: true, attrs: { spellcheck: 'false', autocomplete: 'off' } }),
  h('label', { for: 'csvfile' }, 'Or a CSV file', h('span', { class: 'hint', id: 'csvfile-hint' }, 'Up to about 300,000 lines; the file wins over pasted text')),
  file,
  progress, progressText,
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Upload recipients')),
  errors);
  const submit = form.querySelector('button[type=submit]');
  show(`Recipients · ${campaign.name}`, h('h1', {}, `Recipients of ${campaign.name}`), stepper(2),
    h('p', {}, 'Collection: ', addressLink(campaign.contract)), form);
}

// ---- wizard: review and distribute ----

function reviewStep(campaign, params) {
  const r = campaign.counts.recipients;
  const toMint = (r.PENDING ?? 0) + (r.FAILED ?? 0);
  const batches = Math.ceil(toMint / config.batchSize);
  const error = h('div');
  const start = h('button', { type: 'button', disabled: toMint === 0, onclick: async () => {
    start.disabled = true;
    error.replaceChildren();
    try {
      await api.post(`/api/campaigns/${campaign.id}/distribute`, {});
      go(`#/c/${campaign.id}`);
    } catch (err) {
      start.disabled = false;
      error.replaceChildren(alertBox(`The distribution did not start: ${describe(err)}`));
    }
  } }, `Distribute to ${toMint.toLocaleString()} recipient(s)`);
  const added = params.get('added');
  show(`Review · ${campaign.name}`, h('h1', {}, `Review ${campaign.name}`), stepper(3),
    added !== null ? alertBox(`${Number(added).toLocaleString()} recipient(s) added${Number(params.get('duplicates')) ? `, ${params.get('duplicates')} duplicate(s) skipped` : ''}.`, 'ok') : null,
    h('dl', { class: 'counts' },
      h('div', {}, h('dt', {}, 'Recipients'), h('dd', { id: 'review-count' }, toMint.toLocaleString())),
      h('div', {}, h('dt', {}, 'Batches'), h('dd', { id: 'review-batches' }, batches.toLocaleString())),
      h('div', {}, h('dt', {}, 'Per batch'), h('dd', {}, config.batchSize))),
    h('p', {}, `Each batch is one mint transaction from the operator's minter wallet, so this drop takes ${batches} transaction(s).`),
    h('p', { class: 'muted' }, 'Cost estimate: the API does not offer one yet.'),
    h('p', {}, 'Collection: ', addressLink(campaign.contract)),
    h('div', { class: 'actions' }, start, h('a', { class: 'button secondary', href: `#/c/${campaign.id}/recipients` }, 'Add more recipients')),
    error);
}

// ---- campaign page ----

function campaignPage(campaign) {
  const counts = h('dl', { class: 'counts', 'aria-label': 'Recipients by status' });
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Minted' });
  const barText = h('p', { id: 'progress-text' });
  const live = h('p', { class: 'live' });
  const status = h('span');
  const retryArea = h('div');
  const tbody = h('tbody');
  let lastFailed = 0;

  const retry = h('button', { type: 'button', id: 'retry', hidden: true, onclick: async () => {
    retry.disabled = true;
    try {
      const { body } = await api.post(`/api/campaigns/${campaign.id}/retry`, {});
      const text = `${body.requeued} failed batch(es) went back to the queue.`;
      // A status box: screen readers announce it, no separate announcement needed.
      retryArea.replaceChildren(alertBox(text, 'ok'));
    } catch (err) {
      retryArea.replaceChildren(alertBox(`Retry failed: ${describe(err)}`));
    } finally {
      retry.disabled = false;
    }
  } }, 'Retry Failed');

  // Pause, resume, cancel: each shown only in a state it applies to; the server refuses the others by name anyway.
  const controlArea = h('div');
  const control = (action, label) => h('button', { type: 'button', id: action, class: 'secondary', hidden: true,
    onclick: async (event) => {
      const button = event.currentTarget;
      if (action === 'cancel' && !window.confirm('Cancel the distribution? Batches already signed still mint; the rest go back to pending.')) return;
      button.disabled = true;
      try {
        const { body } = await api.post(`/api/campaigns/${campaign.id}/${action}`, {});
        const box = alertBox(`Campaign is ${body.status.toLowerCase()}.`, 'ok');
        controlArea.replaceChildren(box);
        // The pressed button hides in the new state: keep a keyboard user's place on the control that undoes it
        // (Pause <-> Resume), or on the status box after a cancel, instead of dropping focus to the top of the page.
        showControls(body.status);
        const undo = { pause: resume, resume: pause }[action];
        if (undo && !undo.hidden) {
          undo.focus();
        } else {
          box.setAttribute('tabindex', '-1');
          box.focus();
        }
      } catch (err) {
        controlArea.replaceChildren(alertBox(`${label} failed: ${describe(err)}`));
      } finally {
        button.disabled = false;
      }
    } }, label);
  const pause = control('pause', 'Pause');
  const resume = control('resume', 'Resume');
  const cancel = control('cancel', 'Cancel distribution');
  function showControls(campaignStatus) {
    const focused = [pause, resume, cancel].find((b) => b === document.activeElement);
    pause.hidden = campaignStatus !== 'PROCESSING';
    resume.hidden = campaignStatus !== 'PAUSED';
    cancel.hidden = campaignStatus !== 'PROCESSING' && campaignStatus !== 'PAUSED';
    // A live update can hide the control that has the keyboard (one sent just before a pause still says PROCESSING):
    // the focus moves to a control still shown instead of falling back to the top of the page.
    if (focused && focused.hidden) {
      const next = [{ pause: resume, resume: pause }[focused.id], pause, resume, cancel].find((b) => b && !b.hidden);
      const box = controlArea.firstElementChild;
      if (next) {
        next.focus();
      } else if (box) {
        box.setAttribute('tabindex', '-1');
        box.focus();
      }
    }
  }

  function update({ campaign: c, batches }) {
    const r = c.counts.recipients;
    const total = Object.values(r).reduce((a, b) => a + b, 0);
    status.replaceChildren(statusBadge(c.status));
    counts.replaceChildren(...['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED'].map((s) =>
      h('div', {}, h('dt', {}, s.toLowerCase()), h('dd', { 'data-status': s }, (r[s] ?? 0).toLocaleString()))));
    bar.max = Math.max(total, 1);
    bar.value = r.COMPLETED ?? 0;
    barText.textContent = `${(r.COMPLETED ?? 0).toLocaleString()} of ${total.toLocaleString()} minted`;
    const failed = c.counts.batches.FAILED ?? 0;
    retry.hidden = failed === 0;
    showControls(c.status);
    if (failed !== lastFailed && failed > 0) announce(`${failed} batch(es) failed`);
    lastFailed = failed;
    if (c.status === 'COMPLETED') announce('Distribution completed');
    // The error gets a row of its own under its batch: in words, and readable in the narrow mini app frame.
    tbody.replaceChildren(...batches.flatMap((b) => [
      h('tr', {},
        h('td', {}, b.index + 1),
        h('td', {}, statusBadge(b.status), b.attempts > 1 ? h('span', { class: 'muted' }, ` ${b.attempts} attempts`) : null),
        h('td', {}, b.recipientCount), h('td', {}, txLink(b.txHash))),
      b.error ? h('tr', { class: 'error-row' }, h('td', { colspan: 4 }, h('span', { class: 'field-error' }, `Batch ${b.index + 1} error: ${b.error}`))) : null,
    ].filter(Boolean)));
  }

  show(campaign.name, h('h1', {}, campaign.name, ' ', status),
    h('p', {}, 'Collection: ', campaign.contract ? addressLink(campaign.contract) : 'not deployed'),
    counts, bar, barText, live,
    h('div', { class: 'actions' }, retry, pause, resume, cancel,
      h('a', { class: 'button secondary', href: `#/c/${campaign.id}/recipients` }, 'Add recipients')),
    retryArea, controlArea,
    h('h2', {}, 'Batches'),
    h('div', { class: 'table-wrap', tabindex: 0, role: 'region', 'aria-label': 'Batches table' }, h('table', {},
      h('caption', { class: 'visually-hidden' }, 'Batches with their status, transaction and error'),
      h('thead', {}, h('tr', {}, ['#', 'Status', 'Recipients', 'Transaction'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody)));
  update({ campaign, batches: [] });
  stopFollowing = api.follow(campaign.id, update, (mode) => {
    live.textContent = mode === 'live' ? 'Live: updates as batches are minted.' : 'Updating every few seconds.';
  });
}

// ---- transaction receipt (local chain, no explorer) ----

async function txPage(hash) {
  const receipt = await devRpc('eth_getTransactionReceipt', [hash]);
  show('Transaction', h('h1', {}, 'Transaction'), h('p', {}, h('code', {}, hash)),
    receipt ? h('dl', { class: 'counts' },
      h('div', {}, h('dt', {}, 'status'), h('dd', {}, receipt.status === '0x1' ? 'success' : 'reverted')),
      h('div', {}, h('dt', {}, 'block'), h('dd', {}, BigInt(receipt.blockNumber).toString())),
      h('div', {}, h('dt', {}, 'gas used'), h('dd', {}, BigInt(receipt.gasUsed).toString())))
      : h('p', {}, 'Not mined yet, or unknown to the local chain.'),
    h('p', { class: 'muted' }, 'From the local chain\'s JSON-RPC: a development chain has no explorer.'),
    h('button', { type: 'button', class: 'secondary', onclick: () => history.back() }, 'Back'));
}

// ---- router ----

async function route() {
  if (stopFollowing) { stopFollowing(); stopFollowing = null; }
  renderAccount();
  const [path, query] = location.hash.slice(1).split('?');
  const params = new URLSearchParams(query || '');
  if (!api.signedIn() || path === '/signin') {
    if (api.signedIn()) { go('#/'); return; }
    signInPage();
    return;
  }
  try {
    if (path === '' || path === '/') return await listPage();
    if (path === '/new') return newPage();
    let m = path.match(/^\/tx\/(0x[0-9a-fA-F]{64})$/);
    if (m && devRpc) return await txPage(m[1]);
    m = path.match(/^\/c\/([0-9a-fA-F-]{36})(?:\/(recipients|review))?$/);
    if (m) {
      const campaign = await api.get(`/api/campaigns/${m[1]}`);
      if (!campaign.contract) return await deployStep(campaign);
      const total = Object.values(campaign.counts.recipients).reduce((a, b) => a + b, 0);
      if (m[2] === 'recipients' || (campaign.status === 'DRAFT' && total === 0 && !m[2])) return recipientsStep(campaign);
      if (m[2] === 'review' || campaign.status === 'DRAFT') return reviewStep(campaign, params);
      return campaignPage(campaign);
    }
    show('Not found', h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to your campaigns')));
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return; // whenUnauthorized has taken over
    show('Error', h('h1', {}, 'Something went wrong'), alertBox(describe(err)), h('p', {}, h('a', { href: '#/' }, 'Back to your campaigns')));
  }
}

async function boot() {
  try {
    inMiniApp = await sdk.isInMiniApp();
  } catch {
    inMiniApp = false;
  }
  if (inMiniApp) {
    // Hides the client's splash screen; the page is ready to draw.
    sdk.actions.ready().catch(() => {});
    if (!api.signedIn()) {
      try { api.setToken((await sdk.quickAuth.getToken({ quickAuthServerOrigin: config.quickAuthOrigin })).token); } catch { /* the sign-in page offers it again */ }
    }
  }
  window.addEventListener('hashchange', () => { navigating(); route(); });
  await route();
}

boot();
