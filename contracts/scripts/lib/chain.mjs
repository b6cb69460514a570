// Minimal, dependency-free helpers to talk to a local anvil: start/stop it, JSON-RPC over fetch, just enough ABI
// encoding for the base-nft contracts, and sending transactions from anvil's unlocked dev accounts.
// Used by scripts/gas-report.mjs and test/contracts.test.mjs. Local development only.

import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
export const CONTRACTS_DIR = resolve(HERE, "..", "..");
export const ARTIFACT_DIR = resolve(CONTRACTS_DIR, "..", "adapter-base-rpc", "src", "main", "resources", "dev", "basenft", "adapter", "base", "rpc", "contracts");

export function loadArtifact(name) {
  return JSON.parse(readFileSync(join(ARTIFACT_DIR, `${name}.json`), "utf8"));
}

/**
 * The anvil binary of the platform package (what `npx anvil` runs), started directly so that stopping it waits for the
 * real process; falls back to the @foundry-rs/anvil wrapper script on platforms without a binary package installed.
 */
const anvilCommand = (() => {
  const arch = { x64: "amd64", arm64: "arm64" }[process.arch];
  const exe = process.platform === "win32" ? "anvil.exe" : "anvil";
  try {
    return [require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/${exe}`)];
  } catch {
    return [process.execPath, join(CONTRACTS_DIR, "node_modules", "@foundry-rs", "anvil", "bin.mjs")];
  }
})();

/**
 * Starts anvil (from node_modules) on 127.0.0.1:<port> and resolves once it answers JSON-RPC.
 * Returns { url, stop }. stop() sends SIGTERM and waits for the process to exit.
 */
export async function startAnvil({ port = 8599, chainId = 8453, extraArgs = [] } = {}) {
  const args = ["--host", "127.0.0.1", "--port", String(port), "--chain-id", String(chainId), "--silent", ...extraArgs];
  const child = spawn(anvilCommand[0], [...anvilCommand.slice(1), ...args], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise((res) => child.once("exit", res));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited early (${child.exitCode}): ${stderr}`);
    try {
      await rpc(url, "eth_chainId", []);
      break;
    } catch (e) {
      if (Date.now() > deadline) {
        child.kill("SIGTERM");
        throw new Error(`anvil did not answer on ${url} within 15 s: ${e.message} ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

let rpcId = 0;

/** One JSON-RPC call; throws an Error carrying .code and .data (revert data) on a JSON-RPC error. */
export async function rpc(url, method, params) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
  });
  const body = await res.json();
  if (body.error) {
    const err = new Error(`${method}: ${body.error.message}`);
    err.code = body.error.code;
    err.data = body.error.data;
    throw err;
  }
  return body.result;
}

// ---------------------------------------------------------------- ABI encoding (only the types the contracts use)

const strip0x = (h) => (h.startsWith("0x") ? h.slice(2) : h);
const word = (hex) => strip0x(hex).padStart(64, "0");
const uint = (n) => BigInt(n).toString(16).padStart(64, "0");

function isDynamic(type) {
  return type === "string" || type === "bytes" || type.endsWith("[]");
}

function encodeValue(type, value) {
  if (type === "bool") return uint(value ? 1 : 0);
  if (type === "address") return word(value.toLowerCase());
  if (/^bytes([1-9]|[12][0-9]|3[0-2])$/.test(type)) return strip0x(value).toLowerCase().padEnd(64, "0");
  if (type.startsWith("uint")) return uint(value);
  if (type === "string" || type === "bytes") {
    const bytes = type === "string" ? Buffer.from(value, "utf8") : Buffer.from(strip0x(value), "hex");
    const hex = bytes.toString("hex");
    const padded = hex.padEnd(Math.ceil(hex.length / 64) * 64, "0");
    return uint(bytes.length) + padded;
  }
  if (type.endsWith("[]")) {
    const inner = type.slice(0, -2);
    return uint(value.length) + encodeTuple(value.map(() => inner), value);
  }
  throw new Error(`unsupported ABI type ${type}`);
}

/** Standard head/tail encoding of a list of values, without 0x. */
export function encodeTuple(types, values) {
  let head = "";
  let tail = "";
  const headSize = types.length * 32;
  types.forEach((type, i) => {
    if (isDynamic(type)) {
      head += uint(headSize + tail.length / 2);
      tail += encodeValue(type, values[i]);
    } else {
      head += encodeValue(type, values[i]);
    }
  });
  return head + tail;
}

/** keccak256 is not in node:crypto, so ask the node (web3_sha3) for selectors and topics, with a cache. */
const hashCache = new Map();
export async function keccakText(url, text) {
  if (!hashCache.has(text)) {
    hashCache.set(text, await rpc(url, "web3_sha3", [`0x${Buffer.from(text, "utf8").toString("hex")}`]));
  }
  return hashCache.get(text);
}

/** "mintBatch(bytes32,address[])" + values -> calldata */
export async function calldata(url, signature, values = []) {
  const types = signature.slice(signature.indexOf("(") + 1, -1).split(",").filter(Boolean);
  const selector = (await keccakText(url, signature)).slice(0, 10);
  return selector + encodeTuple(types, values);
}

export const randomAddress = () => `0x${randomBytes(20).toString("hex")}`;
export const randomBytes32 = () => `0x${randomBytes(32).toString("hex")}`;
export const addressFromWord = (w) => `0x${strip0x(w).slice(-40)}`;

// ---------------------------------------------------------------- transactions

/**
 * Sends a transaction from an unlocked anvil account and returns its receipt (anvil automines).
 * Pass `gas` to skip estimation, e.g. to get a reverting transaction mined and measured.
 */
export async function send(url, tx) {
  const params = { ...tx };
  if (params.gas !== undefined) params.gas = `0x${BigInt(params.gas).toString(16)}`;
  const hash = await rpc(url, "eth_sendTransaction", [params]);
  for (let i = 0; i < 200; i++) {
    const receipt = await rpc(url, "eth_getTransactionReceipt", [hash]);
    if (receipt) return receipt;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no receipt for ${hash}`);
}

/** Sends and requires success; returns the receipt with gasUsed as a Number. */
export async function sendOk(url, tx, what) {
  const receipt = await send(url, tx);
  if (receipt.status !== "0x1") throw new Error(`${what} reverted (tx ${receipt.transactionHash})`);
  return receipt;
}

export async function deploy(url, from, artifact, ctorTypes = [], ctorValues = []) {
  const data = artifact.bytecode + encodeTuple(ctorTypes, ctorValues);
  const receipt = await sendOk(url, { from, data }, `deploy ${artifact.contractName}`);
  return { address: receipt.contractAddress, receipt };
}

export const gasUsed = (receipt) => Number(BigInt(receipt.gasUsed));

/** eth_call returning the raw result, or throwing with .data = revert data. */
export async function call(url, to, data, from) {
  return rpc(url, "eth_call", [{ to, data, ...(from ? { from } : {}) }, "latest"]);
}

export function decodeString(resultHex) {
  const hex = strip0x(resultHex);
  const offset = Number(BigInt(`0x${hex.slice(0, 64)}`)) * 2;
  const length = Number(BigInt(`0x${hex.slice(offset, offset + 64)}`));
  return Buffer.from(hex.slice(offset + 64, offset + 64 + length * 2), "hex").toString("utf8");
}

export const decodeUint = (resultHex) => BigInt(resultHex);
