// CRC-64 as OSS computes it, to check objects and files outside the app.
import fs from 'node:fs';

const MIB = 1024 * 1024;

// CRC-64/XZ, which OSS calls crc64ecma (x-oss-hash-crc64ecma): reflected polynomial
// 0xC96C5795D7870F42, initial value and final xor all ones. Slicing by 8 over 32-bit halves
// (BigInt per byte would take minutes for 300 MiB; this takes about a second).
const CRC_LO = new Uint32Array(8 * 256);
const CRC_HI = new Uint32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let lo = n;
  let hi = 0;
  for (let k = 0; k < 8; k++) {
    const carry = lo & 1;
    lo = ((lo >>> 1) | (hi << 31)) >>> 0;
    hi >>>= 1;
    if (carry) {
      lo = (lo ^ 0xd7870f42) >>> 0;
      hi = (hi ^ 0xc96c5795) >>> 0;
    }
  }
  CRC_LO[n] = lo;
  CRC_HI[n] = hi;
}
for (let t = 1; t < 8; t++) {
  for (let n = 0; n < 256; n++) {
    const lo = CRC_LO[(t - 1) * 256 + n];
    const hi = CRC_HI[(t - 1) * 256 + n];
    CRC_LO[t * 256 + n] = (CRC_LO[lo & 0xff] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
    CRC_HI[t * 256 + n] = (CRC_HI[lo & 0xff] ^ (hi >>> 8)) >>> 0;
  }
}

export class Crc64 {
  lo = 0xffffffff;
  hi = 0xffffffff;

  update(bytes) {
    let { lo, hi } = this;
    const whole = bytes.length - (bytes.length % 8);
    let i = 0;
    for (; i < whole; i += 8) {
      const a = lo ^ (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24));
      const b = hi ^ (bytes[i + 4] | (bytes[i + 5] << 8) | (bytes[i + 6] << 16) | (bytes[i + 7] << 24));
      const t0 = 7 * 256 + (a & 0xff);
      const t1 = 6 * 256 + ((a >>> 8) & 0xff);
      const t2 = 5 * 256 + ((a >>> 16) & 0xff);
      const t3 = 4 * 256 + (a >>> 24);
      const t4 = 3 * 256 + (b & 0xff);
      const t5 = 2 * 256 + ((b >>> 8) & 0xff);
      const t6 = 256 + ((b >>> 16) & 0xff);
      const t7 = b >>> 24;
      lo = CRC_LO[t0] ^ CRC_LO[t1] ^ CRC_LO[t2] ^ CRC_LO[t3] ^ CRC_LO[t4] ^ CRC_LO[t5] ^ CRC_LO[t6] ^ CRC_LO[t7];
      hi = CRC_HI[t0] ^ CRC_HI[t1] ^ CRC_HI[t2] ^ CRC_HI[t3] ^ CRC_HI[t4] ^ CRC_HI[t5] ^ CRC_HI[t6] ^ CRC_HI[t7];
    }
    for (; i < bytes.length; i++) {
      const t = (lo ^ bytes[i]) & 0xff;
      lo = (CRC_LO[t] ^ ((lo >>> 8) | (hi << 24))) >>> 0;
      hi = (CRC_HI[t] ^ (hi >>> 8)) >>> 0;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** The CRC as OSS prints it: an unsigned decimal. */
  digest() {
    return ((BigInt(~this.hi >>> 0) << 32n) | BigInt(~this.lo >>> 0)).toString();
  }
}

export const crc64 = (bytes) => new Crc64().update(bytes).digest();

/** CRC-64 of a file, read in 8 MiB chunks. */
export function crc64File(file) {
  const crc = new Crc64();
  const fd = fs.openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(8 * MIB);
    for (let n; (n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0; ) crc.update(chunk.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return crc.digest();
}
