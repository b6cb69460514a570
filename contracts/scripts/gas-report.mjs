#!/usr/bin/env node
// Gas report for the base-nft contracts on a real local anvil (chain id 8453, like Base mainnet).
//
//   node scripts/gas-report.mjs              starts anvil on 127.0.0.1:8599 itself and stops it afterwards
//   RPC_URL=http://127.0.0.1:8545 node ...   uses an already running anvil instead
//
// Uses the committed artifacts (what the Java adapter deploys), anvil's unlocked dev accounts (eth_sendTransaction)
// and fresh random recipient addresses, so every mint pays for two fresh storage slots (owner, balance): the worst
// and the usual case for an airdrop.
//
// Batch-key protection cost: measured, not estimated. The script compiles, in memory, a copy of BaseNftCollection.sol
// with only the two batch-key lines of mintBatch removed, deploys both it and the real contract directly (no clone),
// and sends each the identical first mintBatch (same key, same recipients, so same calldata). The gasUsed difference
// is exactly what the check + the mapping write cost in that transaction.

import { compileSources, readOwnSources } from "../build.mjs";
import {
  addressFromWord,
  calldata,
  deploy,
  gasUsed,
  keccakText,
  loadArtifact,
  randomAddress,
  randomBytes32,
  rpc,
  send,
  sendOk,
  startAnvil,
} from "./lib/chain.mjs";

const SIZES = [1, 10, 100, 200, 350];
const TX_GAS_CAP = 16_777_216; // EIP-7825 per-transaction cap, enforced on Base
const PER_RECIPIENT_BUDGET = 48_500;
const KEY_PROTECTION_BUDGET = 25_000;

const fmt = (n) => n.toLocaleString("en-US");
/** A campaign id shaped as the engine sends it (16 zero bytes, then a UUID's 16 bytes): zero calldata bytes cost less. */
const campaignId = () => `0x${"0".repeat(32)}${randomBytes32().slice(2, 34)}`;

function variantWithoutBatchKeyProtection() {
  const sources = readOwnSources();
  const unit = "src/BaseNftCollection.sol";
  const original = sources[unit].content;
  const lines = [
    "        if (_usedBatchKeys[batchKey]) revert BatchAlreadyUsed(batchKey);\n",
    "        _usedBatchKeys[batchKey] = true;\n",
  ];
  let patched = original;
  for (const line of lines) {
    if (!patched.includes(line)) throw new Error(`cannot build the comparison variant: line not found: ${line.trim()}`);
    patched = patched.replace(line, "");
  }
  const { output } = compileSources({ [unit]: { content: patched } });
  const c = output.contracts[unit].BaseNftCollection;
  return { contractName: "BaseNftCollection (no batch-key check)", bytecode: `0x${c.evm.bytecode.object}` };
}

async function main() {
  const external = process.env.RPC_URL;
  const anvil = external ? null : await startAnvil({ port: Number(process.env.ANVIL_PORT ?? 8599) });
  const url = external ?? anvil.url;
  try {
    const [deployer, minter, creator] = await rpc(url, "eth_accounts", []);
    const chainId = Number(BigInt(await rpc(url, "eth_chainId", [])));
    const collectionArtifact = loadArtifact("BaseNftCollection");
    const factoryArtifact = loadArtifact("BaseNftFactory");

    const impl = await deploy(url, deployer, collectionArtifact);
    const factory = await deploy(url, deployer, factoryArtifact, ["address", "address"], [impl.address, minter]);
    const create = await sendOk(
      url,
      {
        from: creator,
        to: factory.address,
        data: await calldata(url, "createCollection(bytes32,string,string,string)", [campaignId(), "Base NFT Demo", "BND", "https://nft.example/meta/"]),
      },
      "createCollection",
    );
    const createdTopic = await keccakText(url, "CollectionCreated(address,address,bytes32,string,string,string)");
    const log = create.logs.find((l) => l.topics[0] === createdTopic);
    if (!log) throw new Error("CollectionCreated not emitted");
    const clone = addressFromWord(log.topics[2]);

    console.log(`anvil chain id ${chainId}, collection clone ${clone}`);
    console.log("");
    console.log(`| operation | gasUsed |`);
    console.log(`|---|---:|`);
    console.log(`| deploy BaseNftCollection (implementation) | ${fmt(gasUsed(impl.receipt))} |`);
    console.log(`| deploy BaseNftFactory | ${fmt(gasUsed(factory.receipt))} |`);
    console.log(`| createCollection (EIP-1167 clone with CREATE2 + initialize) | ${fmt(gasUsed(create))} |`);
    console.log("");

    // mintBatch through the clone, fresh recipients each time, in increasing n (the first batch also pays the
    // counter's 0 -> non-zero write, later ones a non-zero -> non-zero write).
    const rows = [];
    for (const n of SIZES) {
      const to = Array.from({ length: n }, randomAddress);
      const receipt = await sendOk(
        url,
        { from: minter, to: clone, data: await calldata(url, "mintBatch(bytes32,address[])", [randomBytes32(), to]) },
        `mintBatch n=${n}`,
      );
      rows.push({ n, gas: gasUsed(receipt) });
    }
    console.log(`| mintBatch through the clone, n fresh recipients | gasUsed | per recipient | under 16,777,216 tx cap |`);
    console.log(`|---:|---:|---:|:---:|`);
    for (const { n, gas } of rows) {
      console.log(`| ${n} | ${fmt(gas)} | ${fmt(Math.round(gas / n))} | ${gas <= TX_GAS_CAP ? "yes" : "NO"} |`);
    }
    const at = (n) => rows.find((r) => r.n === n);
    const marginal = (at(350).gas - at(100).gas) / 250;
    console.log(`\nmarginal cost per extra recipient (n=100 -> 350): ${fmt(Math.round(marginal))} gas; fixed part ≈ ${fmt(Math.round(at(100).gas - 100 * marginal))} gas`);

    // One safeMint (one transaction per recipient: the baseline mintBatch replaces).
    const safe = await sendOk(
      url,
      { from: minter, to: clone, data: await calldata(url, "safeMint(address)", [randomAddress()]) },
      "safeMint",
    );
    console.log(`safeMint, one fresh recipient, one transaction: ${fmt(gasUsed(safe))} gas`);

    // A reused batch key, mined anyway (explicit gas limit so that estimation does not refuse it).
    const reusedKey = randomBytes32();
    const oneMore = [randomAddress()];
    await sendOk(url, { from: minter, to: clone, data: await calldata(url, "mintBatch(bytes32,address[])", [reusedKey, oneMore]) }, "mintBatch");
    const reused = await send(url, {
      from: minter,
      to: clone,
      gas: 200_000,
      data: await calldata(url, "mintBatch(bytes32,address[])", [reusedKey, [randomAddress()]]),
    });
    if (reused.status !== "0x0") throw new Error("reused batch key was accepted");
    console.log(`mintBatch with a reused batch key (reverts BatchAlreadyUsed), mined anyway: ${fmt(gasUsed(reused))} gas`);

    // Batch-key protection: real contract vs the same contract without the two batch-key lines, same calldata.
    const variant = variantWithoutBatchKeyProtection();
    const compared = {};
    for (const [label, artifact] of [["with", collectionArtifact], ["without", variant]]) {
      // Deployed directly (not as clones), so the constructor's _disableInitializers() would block initialize:
      // deploy through a fresh factory instead, which clones and initialises it exactly like production.
      const implX = await deploy(url, deployer, artifact);
      const factoryX = await deploy(url, deployer, factoryArtifact, ["address", "address"], [implX.address, minter]);
      const c = await sendOk(
        url,
        { from: creator, to: factoryX.address, data: await calldata(url, "createCollection(bytes32,string,string,string)", [campaignId(), "X", "X", "x/"]) },
        "createCollection",
      );
      compared[label] = addressFromWord(c.logs.find((l) => l.topics[0] === createdTopic).topics[2]);
    }
    const key = randomBytes32();
    const protectionRows = [];
    for (const n of [1, 200]) {
      const to = Array.from({ length: n }, randomAddress);
      const data = await calldata(url, "mintBatch(bytes32,address[])", [n === 1 ? key : randomBytes32(), to]);
      // same key and recipients for both contracts -> byte-identical calldata
      const withGas = gasUsed(await sendOk(url, { from: minter, to: compared.with, data }, "mintBatch (with)"));
      const withoutGas = gasUsed(await sendOk(url, { from: minter, to: compared.without, data }, "mintBatch (without)"));
      protectionRows.push({ n, withGas, withoutGas, diff: withGas - withoutGas });
    }
    console.log("");
    console.log(`| batch-key protection, identical calldata | with check | without check | cost of the check |`);
    console.log(`|---:|---:|---:|---:|`);
    for (const r of protectionRows) {
      console.log(`| n=${r.n} (${r.n === 1 ? "first batch" : "second batch"} of a fresh clone) | ${fmt(r.withGas)} | ${fmt(r.withoutGas)} | ${fmt(r.diff)} |`);
    }

    const perRecipient200 = at(200).gas / 200;
    const worstProtection = Math.max(...protectionRows.map((r) => r.diff));
    console.log("");
    const ok1 = perRecipient200 <= PER_RECIPIENT_BUDGET;
    const ok2 = worstProtection <= KEY_PROTECTION_BUDGET;
    console.log(`${ok1 ? "OK  " : "FAIL"} per recipient at n=200: ${fmt(Math.round(perRecipient200))} (budget ${fmt(PER_RECIPIENT_BUDGET)})`);
    console.log(`${ok2 ? "OK  " : "FAIL"} batch-key protection: ${fmt(worstProtection)} per batch (budget ${fmt(KEY_PROTECTION_BUDGET)})`);
    if (!ok1 || !ok2) process.exitCode = 1;
  } finally {
    if (anvil) await anvil.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
