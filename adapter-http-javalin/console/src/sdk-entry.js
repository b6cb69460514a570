// The one thing the console takes from the Farcaster mini app SDK: its `sdk` object (Quick Auth, actions.ready, the
// wallet's EIP-1193 provider). Imported from the SDK's own module rather than its index, whose `export *` of
// @farcaster/miniapp-core would drag every zod schema and the Solana libraries into the bundle.
export { sdk } from '@farcaster/miniapp-sdk/dist/sdk.js';
