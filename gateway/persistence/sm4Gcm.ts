/**
 * SM4 in GCM mode (GB/T 32907 with NIST SP 800-38D's GCM) with the key schedule and the GHASH table computed
 * once per key. sm-crypto-v2's GCM rebuilt both on every call (about 30 µs per value, the main cost of opening
 * the change log for list partners), and Node's SM4 (OpenSSL has SM4-CTR and -ECB, no SM4-GCM) costs more to set
 * up per call (about 14 µs) than a short value takes to encrypt. The block cipher is SM4 with one lookup table
 * (S-box and linear transform together), GHASH is Shoup's 4-bit table method as mbed TLS has it. The output is
 * byte for byte sm-crypto-v2's (tests/gateway/persistence/sm4Gcm.test.ts), so values sealed by either open with
 * the other. Nonces are 12 bytes, as the data cipher's are.
 */
import { timingSafeEqual } from "node:crypto";

const BLOCK = 16;
const NONCE_BYTES = 12;
/** Shoup's reduction constants for the four bits shifted out (mbed TLS's `last4`). */
const LAST4 = [
  0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0, 0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0,
];

const SBOX = Buffer.from(
  "d690e9fecce13db716b614c228fb2c052b679a762abe04c3aa44132649860699" +
    "9c4250f491ef987a33540b43edcfac62e4b31ca9c908e89580df94fa758f3fa6" +
    "4707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35" +
    "1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89e" +
    "eabf8ad240c738b5a3f7f2cef96115a1e0ae5da49b341a55ad933230f58cb1e3" +
    "1df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51" +
    "8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b0" +
    "8969974a0c96777e65b9f109c56ec68418f07dec3adc4d2079ee5f3ed7cb3948",
  "hex",
);
const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc];
const rotl = (x: number, n: number) => (x << n) | (x >>> (32 - n));
/** The round function's τ then L for one S-box output in the top byte; the other bytes are rotations of it. */
const ROUND_TABLE = Uint32Array.from(SBOX, (b) => {
  const x = b << 24;
  return x ^ rotl(x, 2) ^ rotl(x, 10) ^ rotl(x, 18) ^ rotl(x, 24);
});
const round = (x: number) =>
  ROUND_TABLE[x >>> 24] ^
  rotl(ROUND_TABLE[(x >>> 16) & 0xff], 24) ^
  rotl(ROUND_TABLE[(x >>> 8) & 0xff], 16) ^
  rotl(ROUND_TABLE[x & 0xff], 8);

function keySchedule(key: Uint8Array): Uint32Array {
  const view = Buffer.from(key.buffer, key.byteOffset, key.byteLength);
  const k = [0, 1, 2, 3].map((i) => view.readUInt32BE(i * 4) ^ FK[i]);
  const rk = new Uint32Array(32);
  for (let i = 0; i < 32; i++) {
    let ck = 0;
    for (let j = 0; j < 4; j++) ck = (ck << 8) | (((4 * i + j) * 7) & 0xff);
    const a = k[i + 1] ^ k[i + 2] ^ k[i + 3] ^ ck;
    const t = (SBOX[a >>> 24] << 24) | (SBOX[(a >>> 16) & 0xff] << 16) | (SBOX[(a >>> 8) & 0xff] << 8) | SBOX[a & 0xff];
    k.push(k[i] ^ t ^ rotl(t, 13) ^ rotl(t, 23));
    rk[i] = k[i + 4];
  }
  return rk;
}

/** One key's SM4 and GHASH table, reused for every value sealed or opened under it. */
export class Sm4Gcm {
  /** Multiples of H by the 16 nibbles, as four big-endian 32-bit words each (word 0 the highest). */
  private readonly table = new Uint32Array(64);

  private readonly roundKeys: Uint32Array;

  constructor(key: Uint8Array) {
    if (key.length !== 16) throw new Error("an SM4 key is 16 bytes");
    this.roundKeys = keySchedule(key);
    const h = new Uint32Array(4);
    this.block(0, 0, 0, 0, h);
    let [v0, v1, v2, v3] = h;
    this.set(8, v0, v1, v2, v3);
    for (let i = 4; i > 0; i >>= 1) {
      const carry = v3 & 1;
      v3 = (v3 >>> 1) | (v2 << 31);
      v2 = (v2 >>> 1) | (v1 << 31);
      v1 = (v1 >>> 1) | (v0 << 31);
      v0 = (v0 >>> 1) ^ (carry ? 0xe1000000 : 0);
      this.set(i, v0, v1, v2, v3);
    }
    for (let i = 2; i <= 8; i *= 2) {
      for (let j = 1; j < i; j++) {
        for (let w = 0; w < 4; w++) this.table[(i + j) * 4 + w] = this.table[i * 4 + w] ^ this.table[j * 4 + w];
      }
    }
  }

  /** Ciphertext and 16-byte tag of `plain` under the 12-byte `nonce`, authenticating `aad`. */
  encrypt(plain: Uint8Array, nonce: Uint8Array, aad: Uint8Array): { output: Buffer; tag: Buffer } {
    const output = this.ctr(plain, nonce);
    return { output, tag: this.tag(nonce, aad, output) };
  }

  /** The plain bytes, or an error when the tag does not authenticate `cipherText` and `aad`. */
  decrypt(cipherText: Uint8Array, nonce: Uint8Array, tag: Uint8Array, aad: Uint8Array): Buffer {
    const expected = this.tag(nonce, aad, cipherText);
    if (tag.length !== BLOCK || !timingSafeEqual(expected, tag)) throw new Error("authentication tag mismatch");
    return this.ctr(cipherText, nonce);
  }

  private set(i: number, v0: number, v1: number, v2: number, v3: number): void {
    this.table[i * 4] = v0;
    this.table[i * 4 + 1] = v1;
    this.table[i * 4 + 2] = v2;
    this.table[i * 4 + 3] = v3;
  }

  /** SM4 encryption of the block x0‖x1‖x2‖x3 into `out` (four words). */
  private block(x0: number, x1: number, x2: number, x3: number, out: Uint32Array): void {
    const rk = this.roundKeys;
    for (let i = 0; i < 32; i += 4) {
      x0 ^= round(x1 ^ x2 ^ x3 ^ rk[i]);
      x1 ^= round(x2 ^ x3 ^ x0 ^ rk[i + 1]);
      x2 ^= round(x3 ^ x0 ^ x1 ^ rk[i + 2]);
      x3 ^= round(x0 ^ x1 ^ x2 ^ rk[i + 3]);
    }
    out[0] = x3;
    out[1] = x2;
    out[2] = x1;
    out[3] = x0;
  }

  /** GCTR from J0 + 1 (inc32: values here are far below 2^32 blocks). */
  private ctr(input: Uint8Array, nonce: Uint8Array): Buffer {
    const [n0, n1, n2] = nonceWords(nonce);
    const output = Buffer.allocUnsafe(input.length);
    const stream = new Uint32Array(4);
    for (let at = 0, counter = 2; at < input.length; at += BLOCK, counter++) {
      this.block(n0, n1, n2, counter, stream);
      const end = Math.min(BLOCK, input.length - at);
      for (let i = 0; i < end; i++) output[at + i] = input[at + i] ^ ((stream[i >> 2] >>> (24 - 8 * (i & 3))) & 0xff);
    }
    return output;
  }

  private tag(nonce: Uint8Array, aad: Uint8Array, cipherText: Uint8Array): Buffer {
    const state = new Uint32Array(4);
    this.absorb(state, aad);
    this.absorb(state, cipherText);
    this.multiply(
      state,
      state[0] ^ Math.floor(aad.length / 0x20000000),
      state[1] ^ ((aad.length * 8) >>> 0),
      state[2] ^ Math.floor(cipherText.length / 0x20000000),
      state[3] ^ ((cipherText.length * 8) >>> 0),
    );
    const [n0, n1, n2] = nonceWords(nonce);
    const mask = new Uint32Array(4);
    this.block(n0, n1, n2, 1, mask);
    const out = Buffer.allocUnsafe(BLOCK);
    for (let w = 0; w < 4; w++) out.writeUInt32BE((mask[w] ^ state[w]) >>> 0, w * 4);
    return out;
  }

  /** GHASH of `data` (zero-padded to whole blocks) into `state`. */
  private absorb(state: Uint32Array, data: Uint8Array): void {
    for (let at = 0; at < data.length; at += BLOCK) {
      const w = [0, 0, 0, 0];
      const end = Math.min(BLOCK, data.length - at);
      for (let i = 0; i < end; i++) w[i >> 2] |= data[at + i] << (24 - 8 * (i & 3));
      this.multiply(state, state[0] ^ w[0], state[1] ^ w[1], state[2] ^ w[2], state[3] ^ w[3]);
    }
  }

  /** state = x · H in GF(2^128) for x = x0‖x1‖x2‖x3, mbed TLS's gcm_mult (nibbles from the last byte's low one on). */
  private multiply(state: Uint32Array, x0: number, x1: number, x2: number, x3: number): void {
    const t = this.table;
    let z0 = 0;
    let z1 = 0;
    let z2 = 0;
    let z3 = 0;
    for (let i = 15; i >= 0; i--) {
      const word = i < 4 ? x0 : i < 8 ? x1 : i < 12 ? x2 : x3;
      const byte = (word >>> (24 - 8 * (i & 3))) & 0xff;
      for (let half = 0; half < 2; half++) {
        const nibble = half === 0 ? byte & 0xf : byte >>> 4;
        const rem = z3 & 0xf;
        z3 = (z3 >>> 4) | (z2 << 28);
        z2 = (z2 >>> 4) | (z1 << 28);
        z1 = (z1 >>> 4) | (z0 << 28);
        z0 = (z0 >>> 4) ^ (LAST4[rem] << 16);
        z0 ^= t[nibble * 4];
        z1 ^= t[nibble * 4 + 1];
        z2 ^= t[nibble * 4 + 2];
        z3 ^= t[nibble * 4 + 3];
      }
    }
    state[0] = z0;
    state[1] = z1;
    state[2] = z2;
    state[3] = z3;
  }
}

function nonceWords(nonce: Uint8Array): [number, number, number] {
  if (nonce.length !== NONCE_BYTES) throw new Error("an SM4-GCM nonce is 12 bytes here");
  return [wordAt(nonce, 0), wordAt(nonce, 4), wordAt(nonce, 8)];
}

function wordAt(bytes: Uint8Array, at: number): number {
  return ((bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3]) >>> 0;
}
