// The console's side of the HTTP API: the caller's token, JSON calls with problem documents turned into errors, the
// recipient upload with progress, and a campaign's live progress (Server-Sent Events read with fetch, so the token can
// go in the Authorization header, which EventSource cannot send; polling when the stream is not available).

export const config = JSON.parse(document.getElementById('console-config').textContent);

const TOKEN_KEY = 'basenft.token';
let token = sessionStorage.getItem(TOKEN_KEY);
let onUnauthorized = () => {};

export function signedIn() { return token !== null; }
export function setToken(value) {
  token = value;
  if (value === null) sessionStorage.removeItem(TOKEN_KEY); else sessionStorage.setItem(TOKEN_KEY, value);
}
/** Called with the server's words whenever it answers 401: the token is gone, the user must sign in again. */
export function whenUnauthorized(handler) { onUnauthorized = handler; }

/** A failed call: the HTTP status and the RFC 9457 problem document (detail, errors[] with field/line/detail). */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function fail(res) {
  let problem = null;
  try { problem = await res.json(); } catch { /* not JSON */ }
  const error = new ApiError(res.status, problem);
  if (res.status === 401) {
    setToken(null);
    onUnauthorized(error.message);
  }
  return error;
}

export async function get(path) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) throw await fail(res);
  return res.json();
}

export async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: headers({ 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() }),
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw await fail(res);
  return { status: res.status, body: await res.json() };
}

/** POST /contract, waiting while the node has not mined the deployment yet (409 not-mined). */
export async function attach(id, txHash, signal) {
  for (let i = 0; i < 90; i++) {
    try {
      return (await post(`/api/campaigns/${id}/contract`, { txHash })).body;
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409 || !String(e.problem.type).endsWith(':not-mined')) throw e;
      if (signal?.aborted) throw e;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  throw new Error('the deployment was not mined within 3 minutes; reload the page to try attaching it again');
}

/**
 * Uploads recipients (CSV text) with upload progress: XMLHttpRequest, because fetch reports no upload progress.
 * Resolves with the upload result; rejects with an ApiError whose problem lists bad lines.
 */
export function uploadRecipients(id, csv, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/campaigns/${id}/recipients`);
    for (const [k, v] of Object.entries(headers({ 'Content-Type': 'text/csv', 'Idempotency-Key': crypto.randomUUID() }))) {
      xhr.setRequestHeader(k, v);
    }
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) { resolve(xhr.response); return; }
      const error = new ApiError(xhr.status, xhr.response);
      if (xhr.status === 401) { setToken(null); onUnauthorized(error.message); }
      reject(error);
    };
    xhr.onerror = () => reject(new Error('the upload did not reach the server; check the connection and try again'));
    xhr.send(csv);
  });
}

/**
 * Follows a campaign: calls onProgress({campaign, batches}) on every change until stop() is called. Reads the SSE
 * stream; when it cannot (an old proxy, 503 for too many streams, a network error) it polls every 3 s and tries the
 * stream again later. onMode('live' | 'polling') says which is in use.
 */
export function follow(id, onProgress, onMode) {
  let stopped = false;
  let controller = null;
  let pollTimer = null;

  async function poll() {
    if (stopped) return;
    try {
      const [campaign, batches] = await Promise.all([get(`/api/campaigns/${id}`), get(`/api/campaigns/${id}/distributions?limit=200`)]);
      onProgress({ campaign, batches: batches.items.map((b) => ({ ...b, txHash: b.transactions.at(-1)?.hash ?? null })) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) { stopped = true; return; }
    }
  }

  function startPolling() {
    onMode('polling');
    poll();
    let rounds = 0;
    pollTimer = setInterval(() => {
      // Every minute, give the stream another chance.
      if (++rounds >= 20) { clearInterval(pollTimer); pollTimer = null; stream(); } else poll();
    }, 3000);
  }

  async function stream() {
    if (stopped) return;
    controller = new AbortController();
    let res;
    try {
      res = await fetch(`/api/campaigns/${id}/events`, { headers: headers({ Accept: 'text/event-stream' }), signal: controller.signal });
    } catch {
      if (!stopped) startPolling();
      return;
    }
    if (res.status === 401) { await fail(res); stopped = true; return; }
    if (!res.ok || !res.body) { if (!stopped) startPolling(); return; }
    onMode('live');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (event === 'progress') onProgress(JSON.parse(data.join('\n')));
        }
      }
    } catch {
      // aborted or cut: reconnect below
    }
    if (!stopped) setTimeout(stream, 1000);
  }

  stream();
  return () => {
    stopped = true;
    controller?.abort();
    if (pollTimer) clearInterval(pollTimer);
  };
}
