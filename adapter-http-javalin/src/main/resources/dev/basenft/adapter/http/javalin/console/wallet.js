// Wallets the creator can deploy from, all as EIP-1193 providers: the Farcaster client's own (inside the mini app),
// browser wallets announced by EIP-6963 (or a lone injected window.ethereum), and in development a "dev wallet" that
// sends from anvil's unlocked creator account over the local chain's JSON-RPC.

import { config } from './api.js';

const announced = new Map();
window.addEventListener('eip6963:announceProvider', (event) => {
  const { info, provider } = event.detail || {};
  if (info?.uuid && provider) announced.set(info.uuid, { id: info.uuid, name: info.name, provider });
});
window.dispatchEvent(new Event('eip6963:requestProvider'));

const CHAINS = {
  8453: { chainName: 'Base', rpcUrls: ['https://mainnet.base.org'], blockExplorerUrls: ['https://basescan.org'] },
  84532: { chainName: 'Base Sepolia', rpcUrls: ['https://sepolia.base.org'], blockExplorerUrls: ['https://sepolia.basescan.org'] },
};

async function rpc(method, params = []) {
  const res = await fetch(config.devRpc, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: Date.now(), method, params }),
  });
  const json = await res.json();
  if (json.error) throw Object.assign(new Error(json.error.message), { code: json.error.code });
  return json.result;
}

/** The local chain's JSON-RPC (development only): for the dev wallet and for showing receipts without an explorer. */
export const devRpc = config.devRpc ? rpc : null;

/** anvil's dev account 2, which the dev tooling uses as the creator (account 0 deploys our contracts, 1 is the minter). */
function devWallet() {
  let account = null;
  return {
    async request({ method, params = [] }) {
      if (method === 'eth_requestAccounts' || method === 'eth_accounts') {
        if (!account) {
          const accounts = await rpc('eth_accounts');
          if (accounts.length < 3) throw new Error('the local chain has no unlocked creator account');
          account = accounts[2];
        }
        return [account];
      }
      if (method === 'wallet_switchEthereumChain') {
        const have = await rpc('eth_chainId');
        if (BigInt(have) !== BigInt(params[0].chainId)) throw Object.assign(new Error('the dev wallet only knows the local chain'), { code: 4902 });
        return null;
      }
      if (method === 'eth_sendTransaction') return rpc(method, [{ ...params[0], from: params[0].from || account }]);
      return rpc(method, params);
    },
  };
}

/** The wallets to offer, best first: [{id, name, provider}]. */
export async function wallets(miniAppSdk) {
  const list = [];
  if (miniAppSdk) {
    try {
      const provider = await miniAppSdk.wallet.getEthereumProvider();
      if (provider) list.push({ id: 'farcaster', name: 'Farcaster wallet', provider });
    } catch { /* the client has no wallet */ }
  }
  // Wallets answer the request synchronously or within a moment.
  await new Promise((r) => setTimeout(r, 150));
  list.push(...announced.values());
  if (announced.size === 0 && window.ethereum) list.push({ id: 'injected', name: 'Browser wallet', provider: window.ethereum });
  if (config.devRpc) list.push({ id: 'dev', name: 'Dev wallet (anvil creator account)', provider: devWallet() });
  return list;
}

/**
 * Sends the deploy transaction the API built ({to, data, value, chainId}) from the wallet, on that chain, and returns
 * its hash. onStatus(text) reports each step in words.
 */
export async function sendDeploy(provider, tx, onStatus) {
  onStatus('Asking the wallet for your account…');
  const [from] = await provider.request({ method: 'eth_requestAccounts' });
  const want = '0x' + BigInt(tx.chainId).toString(16);
  const have = await provider.request({ method: 'eth_chainId' });
  if (BigInt(have) !== BigInt(want)) {
    onStatus(`Switching the wallet to chain ${tx.chainId}…`);
    try {
      await provider.request({ method: 'wallet_switchEthereumChain', params: [{ chainId: want }] });
    } catch (e) {
      if (e?.code !== 4902 || !CHAINS[tx.chainId]) throw e;
      await provider.request({ method: 'wallet_addEthereumChain', params: [{ chainId: want, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, ...CHAINS[tx.chainId] }] });
    }
  }
  onStatus('Confirm the deployment in your wallet…');
  const value = '0x' + BigInt(tx.value ?? '0').toString(16);
  return provider.request({ method: 'eth_sendTransaction', params: [{ from, to: tx.to, data: tx.data, value }] });
}
