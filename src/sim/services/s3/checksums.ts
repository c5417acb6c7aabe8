import { createHash } from 'node:crypto';
import type { ChecksumAlgorithm } from './types.js';

/**
 * The full-object checksums S3 computes and stores (x-amz-checksum-*): the
 * digest, big-endian, in base64. CRC64NVME is what S3 computes for an
 * upload that names no algorithm; the SDK validates whichever header a GET
 * returns, so these must be bit-exact.
 */

export const checksumAlgorithms: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (checksumAlgorithms as readonly string[]).includes(name);
}

/** `x-amz-checksum-crc32` and friends. */
export function checksumHeader(algorithm: ChecksumAlgorithm): string {
  return `x-amz-checksum-${algorithm.toLowerCase()}`;
}

function crc32Table(polynomial: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ polynomial : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

const CRC32_TABLE = crc32Table(0xedb88320);
const CRC32C_TABLE = crc32Table(0x82f63b78);

function crc32With(table: Uint32Array, data: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const crc32 = (data: Uint8Array): number => crc32With(CRC32_TABLE, data);
export const crc32c = (data: Uint8Array): number => crc32With(CRC32C_TABLE, data);

// CRC-64/NVME (reflected polynomial 0x9A6C9329AC4BC9B5), table-driven on
// two 32-bit halves: BigInt per byte is far too slow for multi-MiB bodies.
const CRC64_LO = new Uint32Array(256);
const CRC64_HI = new Uint32Array(256);
{
  const polyLo = 0xac4bc9b5;
  const polyHi = 0x9a6c9329;
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let k = 0; k < 8; k++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ polyLo) >>> 0;
        hi = (hi ^ polyHi) >>> 0;
      }
    }
    CRC64_LO[n] = lo;
    CRC64_HI[n] = hi;
  }
}

/** CRC-64/NVME as 8 big-endian bytes. */
export function crc64nvme(data: Uint8Array): Uint8Array {
  let lo = 0xffffffff;
  let hi = 0xffffffff;
  for (let i = 0; i < data.length; i++) {
    const index = (lo ^ data[i]!) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ CRC64_LO[index]!) >>> 0;
    hi = ((hi >>> 8) ^ CRC64_HI[index]!) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

function uint32Bytes(value: number): Uint8Array {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(value >>> 0, 0);
  return out;
}

/** The digest of `data` with `algorithm`, base64 as on the wire. */
export function computeChecksum(algorithm: ChecksumAlgorithm, data: Uint8Array): string {
  switch (algorithm) {
    case 'CRC32':
      return Buffer.from(uint32Bytes(crc32(data))).toString('base64');
    case 'CRC32C':
      return Buffer.from(uint32Bytes(crc32c(data))).toString('base64');
    case 'CRC64NVME':
      return Buffer.from(crc64nvme(data)).toString('base64');
    case 'SHA1':
      return createHash('sha1').update(data).digest('base64');
    case 'SHA256':
      return createHash('sha256').update(data).digest('base64');
  }
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

export function md5Base64(data: Uint8Array): string {
  return createHash('md5').update(data).digest('base64');
}
