// Behaviour of the committed contract artifacts on a real anvil (started here on a free loopback port).
// Run with `npm test` (node's built-in test runner; needs `npm ci` first).

import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import {
  addressFromWord,
  call,
  calldata,
  decodeString,
  decodeUint,
  deploy,
  encodeTuple,
  keccakText,
  loadArtifact,
  randomAddress,
  randomBytes32,
  rpc,
  send,
  sendOk,
  startAnvil,
} from "../scripts/lib/chain.mjs";

const ZERO = "0x0000000000000000000000000000000000000000";
const BASE_URI = "ipfs://bafy-campaign/";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let anvil;
let url;
let deployer, minter, creator, stranger;
let impl, factory;

const word = (hex) => hex.toLowerCase().replace(/^0x/, "").padStart(64, "0");

/** Expected revert data of a custom error, e.g. errorData("BatchAlreadyUsed(bytes32)", [key]). */
async function errorData(signature, values = []) {
  return (await calldata(url, signature, values)).toLowerCase();
}

/** `run` is a function so that the call starts only after `expected` was computed (no unhandled rejection). */
async function expectRevert(run, expected) {
  await assert.rejects(run, (e) => {
    assert.equal(String(e.data).toLowerCase(), expected, `revert data of: ${e.message}`);
    return true;
  });
}

async function callAs(from, to, signature, values = []) {
  return call(url, to, await calldata(url, signature, values), from);
}

async function txAs(from, to, signature, values = []) {
  return sendOk(url, { from, to, data: await calldata(url, signature, values) }, signature);
}

const CREATE = "createCollection(bytes32,string,string,string)";
const CREATED = "CollectionCreated(address,address,bytes32,string,string,string)";

/** A campaign id as the engine encodes one: 16 zero bytes, then the 16 bytes of a random UUID. */
const randomCampaignId = () => `0x${"0".repeat(32)}${randomBytes32().slice(2, 34)}`;

/** Creates a collection for `campaignId` (a fresh one unless given), so that repeated calls never collide. */
async function createCollection(from = creator, name = "Campaign", symbol = "CMP", baseURI = BASE_URI, campaignId = randomCampaignId()) {
  const receipt = await txAs(from, factory, CREATE, [campaignId, name, symbol, baseURI]);
  const topic = await keccakText(url, CREATED);
  const logs = receipt.logs.filter((l) => l.topics[0] === topic);
  assert.equal(logs.length, 1);
  return { address: addressFromWord(logs[0].topics[2]), log: logs[0], receipt, campaignId };
}

async function predicted(from, campaignId) {
  return addressFromWord(await call(url, factory, await calldata(url, "predictCollection(address,bytes32)", [from, campaignId])));
}

async function uintView(to, signature, values = []) {
  return decodeUint(await call(url, to, await calldata(url, signature, values)));
}

async function boolView(to, signature, values = []) {
  return (await uintView(to, signature, values)) === 1n;
}

async function role(name) {
  return keccakText(url, name);
}

before(async () => {
  anvil = await startAnvil({ port: await freePort() });
  url = anvil.url;
  [deployer, minter, creator, stranger] = await rpc(url, "eth_accounts", []);
  impl = (await deploy(url, deployer, loadArtifact("BaseNftCollection"))).address;
  factory = (await deploy(url, deployer, loadArtifact("BaseNftFactory"), ["address", "address"], [impl, minter])).address;
});

after(async () => {
  if (anvil) await anvil.stop();
});

describe("BaseNftFactory", () => {
  test("constructor rejects zero implementation or minter", async () => {
    const bytecode = loadArtifact("BaseNftFactory").bytecode;
    for (const args of [[ZERO, minter], [impl, ZERO]]) {
      await expectRevert(
        () => rpc(url, "eth_call", [{ from: deployer, data: bytecode + encodeTuple(["address", "address"], args) }, "latest"]),
        await errorData("ZeroAddress()"),
      );
    }
  });

  test("views return the configured implementation and minter", async () => {
    assert.equal(addressFromWord(await call(url, factory, await calldata(url, "implementation()"))), impl.toLowerCase());
    assert.equal(addressFromWord(await call(url, factory, await calldata(url, "minter()"))), minter.toLowerCase());
  });

  test("createCollection clones, initialises for the caller and emits CollectionCreated", async () => {
    const campaignId = randomCampaignId();
    const expected = await predicted(creator, campaignId);
    assert.equal(await rpc(url, "eth_getCode", [expected, "latest"]), "0x", "nothing at the predicted address before");
    const { address, log } = await createCollection(creator, "My Drop", "DROP", "https://x.example/m/", campaignId);
    assert.equal(address, expected, "deployed where predictCollection said");
    assert.equal(addressFromWord(log.topics[1]), creator.toLowerCase());
    assert.equal(log.topics[3], campaignId);
    assert.equal(log.address.toLowerCase(), factory.toLowerCase());
    assert.equal(log.data.toLowerCase(), `0x${encodeTuple(["string", "string", "string"], ["My Drop", "DROP", "https://x.example/m/"])}`);

    const code = await rpc(url, "eth_getCode", [address, "latest"]);
    assert.equal(code, `0x363d3d373d3d3d363d73${impl.slice(2).toLowerCase()}5af43d82803e903d91602b57fd5bf3`);

    assert.equal(decodeString(await call(url, address, await calldata(url, "name()"))), "My Drop");
    assert.equal(decodeString(await call(url, address, await calldata(url, "symbol()"))), "DROP");
    const hasRole = "hasRole(bytes32,address)";
    const admin = `0x${"0".repeat(64)}`;
    assert.equal(await boolView(address, hasRole, [admin, creator]), true);
    assert.equal(await boolView(address, hasRole, [await role("PAUSER_ROLE"), creator]), true);
    assert.equal(await boolView(address, hasRole, [await role("MINTER_ROLE"), minter]), true);
    assert.equal(await boolView(address, hasRole, [await role("MINTER_ROLE"), creator]), false);
    assert.equal(await boolView(address, hasRole, [admin, minter]), false);
    assert.equal(await uintView(address, "nextTokenId()"), 1n);
    assert.equal(await uintView(address, "totalSupply()"), 0n);
  });

  test("one collection per (sender, campaign): the same again reverts, another sender gets its own address", async () => {
    const campaignId = randomCampaignId();
    const mine = await createCollection(creator, "Mine", "M", "", campaignId);
    await expectRevert(() => callAs(creator, factory, CREATE, [campaignId, "Again", "A", ""]), await errorData("FailedDeployment()"));

    // Someone else sending the same campaign's deploy (before or after) neither blocks nor takes the creator's address.
    const campaign2 = randomCampaignId();
    const first = await createCollection(stranger, "Squat", "S", "", campaign2);
    assert.equal(addressFromWord(first.log.topics[1]), stranger.toLowerCase());
    assert.equal(first.log.topics[3], campaign2);
    const creators = await createCollection(creator, "Real", "R", "", campaign2);
    assert.equal(creators.address, await predicted(creator, campaign2));
    assert.notEqual(creators.address, first.address);
    assert.notEqual(creators.address, mine.address);
    const admin = `0x${"0".repeat(64)}`;
    assert.equal(await boolView(creators.address, "hasRole(bytes32,address)", [admin, creator]), true);
    assert.equal(await boolView(creators.address, "hasRole(bytes32,address)", [admin, stranger]), false);
  });
});

describe("BaseNftCollection", () => {
  const init = "initialize(string,string,string,address,address)";

  test("the implementation cannot be initialised", async () => {
    await expectRevert(() => callAs(stranger, impl, init, ["n", "s", "u", stranger, stranger]), await errorData("InvalidInitialization()"));
  });

  test("a clone cannot be initialised twice", async () => {
    const { address } = await createCollection();
    await expectRevert(() => callAs(stranger, address, init, ["n", "s", "u", stranger, stranger]), await errorData("InvalidInitialization()"));
  });

  test("mintBatch mints sequential ids from 1, emits events and records the key", async () => {
    const { address } = await createCollection();
    const key1 = randomBytes32();
    const first = [randomAddress(), randomAddress(), randomAddress()];
    const r1 = await txAs(minter, address, "mintBatch(bytes32,address[])", [key1, first]);

    const transfer = await keccakText(url, "Transfer(address,address,uint256)");
    const transfers = r1.logs.filter((l) => l.topics[0] === transfer);
    assert.deepEqual(transfers.map((l) => [addressFromWord(l.topics[1]), addressFromWord(l.topics[2]), BigInt(l.topics[3])]),
      first.map((a, i) => [ZERO, a, BigInt(i + 1)]));
    const batchMintedTopic = await keccakText(url, "BatchMinted(bytes32,uint256,uint256)");
    const batchMinted = r1.logs.filter((l) => l.topics[0] === batchMintedTopic);
    assert.equal(batchMinted.length, 1);
    assert.equal(batchMinted[0].topics[1], key1);
    assert.equal(batchMinted[0].data, `0x${word("1")}${word("3")}`);

    const second = [randomAddress(), first[0]]; // a repeated recipient simply gets another token
    const key2 = randomBytes32();
    const r2 = await txAs(minter, address, "mintBatch(bytes32,address[])", [key2, second]);
    const bm2 = r2.logs.find((l) => l.topics[0] === batchMintedTopic);
    assert.equal(bm2.data, `0x${word("4")}${word("2")}`);

    for (const [i, owner] of [...first, ...second].entries()) {
      assert.equal(addressFromWord(await call(url, address, await calldata(url, "ownerOf(uint256)", [i + 1]))), owner.toLowerCase());
    }
    assert.equal(await uintView(address, "balanceOf(address)", [first[0]]), 2n);
    assert.equal(await uintView(address, "nextTokenId()"), 6n);
    assert.equal(await uintView(address, "totalSupply()"), 5n);
    assert.equal(await boolView(address, "batchKeyUsed(bytes32)", [key1]), true);
    assert.equal(await boolView(address, "batchKeyUsed(bytes32)", [key2]), true);
    assert.equal(await boolView(address, "batchKeyUsed(bytes32)", [randomBytes32()]), false);
    assert.equal(decodeString(await call(url, address, await calldata(url, "tokenURI(uint256)", [1]))), `${BASE_URI}1`);
    assert.equal(decodeString(await call(url, address, await calldata(url, "tokenURI(uint256)", [5]))), `${BASE_URI}5`);
    await expectRevert(() => callAs(stranger, address, "tokenURI(uint256)", [6]), await errorData("ERC721NonexistentToken(uint256)", [6]));
  });

  test("mintBatch rejects a reused key, an empty list, a zero address and a non-minter, atomically", async () => {
    const { address } = await createCollection();
    const key = randomBytes32();
    await txAs(minter, address, "mintBatch(bytes32,address[])", [key, [randomAddress()]]);
    const m = "mintBatch(bytes32,address[])";

    await expectRevert(() => callAs(minter, address, m, [key, [randomAddress()]]), await errorData("BatchAlreadyUsed(bytes32)", [key]));
    await expectRevert(() => callAs(minter, address, m, [randomBytes32(), []]), await errorData("EmptyBatch()"));

    const zeroKey = randomBytes32();
    const bad = await send(url, { from: minter, to: address, gas: 500_000, data: await calldata(url, m, [zeroKey, [randomAddress(), ZERO]]) });
    assert.equal(bad.status, "0x0");
    await expectRevert(() => callAs(minter, address, m, [zeroKey, [randomAddress(), ZERO]]), await errorData("ERC721InvalidReceiver(address)", [ZERO]));
    assert.equal(await boolView(address, "batchKeyUsed(bytes32)", [zeroKey]), false);
    assert.equal(await uintView(address, "nextTokenId()"), 2n);

    await expectRevert(
      () => callAs(creator, address, m, [randomBytes32(), [randomAddress()]]),
      await errorData("AccessControlUnauthorizedAccount(address,bytes32)", [creator, await role("MINTER_ROLE")]),
    );
    await expectRevert(
      () => callAs(creator, address, "safeMint(address)", [randomAddress()]),
      await errorData("AccessControlUnauthorizedAccount(address,bytes32)", [creator, await role("MINTER_ROLE")]),
    );
  });

  test("pause stops minting; only the pauser can pause and unpause", async () => {
    const { address } = await createCollection();
    await expectRevert(
      () => callAs(minter, address, "pause()"),
      await errorData("AccessControlUnauthorizedAccount(address,bytes32)", [minter, await role("PAUSER_ROLE")]),
    );
    await txAs(creator, address, "pause()");
    assert.equal(await boolView(address, "paused()"), true);
    await expectRevert(() => callAs(minter, address, "mintBatch(bytes32,address[])", [randomBytes32(), [randomAddress()]]), await errorData("EnforcedPause()"));
    await expectRevert(() => callAs(minter, address, "safeMint(address)", [randomAddress()]), await errorData("EnforcedPause()"));
    await txAs(creator, address, "unpause()");
    await txAs(minter, address, "mintBatch(bytes32,address[])", [randomBytes32(), [randomAddress()]]);
    assert.equal(await uintView(address, "totalSupply()"), 1n);
  });

  test("mintBatch delivers to a contract without onERC721Received, where safeMint refuses", async () => {
    const { address } = await createCollection();
    // the factory is a contract that does not implement IERC721Receiver
    await expectRevert(() => callAs(minter, address, "safeMint(address)", [factory]), await errorData("ERC721InvalidReceiver(address)", [factory]));
    await txAs(minter, address, "mintBatch(bytes32,address[])", [randomBytes32(), [randomAddress(), factory]]);
    assert.equal(addressFromWord(await call(url, address, await calldata(url, "ownerOf(uint256)", [2]))), factory.toLowerCase());
    const eoa = randomAddress();
    await txAs(minter, address, "safeMint(address)", [eoa]);
    assert.equal(addressFromWord(await call(url, address, await calldata(url, "ownerOf(uint256)", [3]))), eoa.toLowerCase());
  });

  test("clones are independent", async () => {
    const a = (await createCollection()).address;
    const b = (await createCollection(stranger)).address;
    const key = randomBytes32();
    await txAs(minter, a, "mintBatch(bytes32,address[])", [key, [randomAddress(), randomAddress()]]);
    await txAs(minter, b, "mintBatch(bytes32,address[])", [key, [randomAddress()]]); // same key, other collection: fine
    assert.equal(await uintView(a, "nextTokenId()"), 3n);
    assert.equal(await uintView(b, "nextTokenId()"), 2n);
  });

  test("supportsInterface", async () => {
    const { address } = await createCollection();
    const s = "supportsInterface(bytes4)";
    for (const id of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0x7965db0b"]) {
      assert.equal(await boolView(address, s, [id]), true, id);
    }
    assert.equal(await boolView(address, s, ["0xffffffff"]), false);
  });
});
