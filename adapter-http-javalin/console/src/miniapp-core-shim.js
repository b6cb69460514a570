// Stands in for @farcaster/miniapp-core inside the bundle. The SDK needs only the error classes of three actions from
// it, and two Solana helpers behind `sdk.wallet.getSolanaProvider()`, which the console never calls (Base is an EVM
// chain). The real modules are loaded for the error classes. The SDK builds its Solana provider when it loads, so the
// helpers must not throw then; the provider they give fails loudly when used.
import * as AddMiniApp from '@farcaster/miniapp-core/dist/actions/AddMiniApp.js';
import * as SignIn from '@farcaster/miniapp-core/dist/actions/SignIn.js';
import * as SignManifest from '@farcaster/miniapp-core/dist/actions/SignManifest.js';

export { AddMiniApp, SignIn, SignManifest };

const unsupported = () => Promise.reject(new Error('the base-nft console does not bundle Solana support'));

export function createSolanaWalletProvider() {
  return { request: unsupported, signIn: unsupported, connect: unsupported, signMessage: unsupported,
    signTransaction: unsupported, signAndSendTransaction: unsupported };
}

export function unwrapSolanaProviderRequest() {
  return unsupported;
}
