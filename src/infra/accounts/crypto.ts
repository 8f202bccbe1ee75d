/**
 * AES-256-GCM for credential records, with a key derived by scrypt from the master key
 * (`MPV2_MASTER_KEY`) and a per-file random salt. Each record has its own IV and auth tag,
 * and is bound to its account name (additional authenticated data), so a record copied to
 * another name does not decrypt.
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

export interface KdfParams {
  name: 'scrypt';
  /** base64 */
  salt: string;
  N: number;
  r: number;
  p: number;
}

export interface Sealed {
  /** base64, 12 bytes */
  iv: string;
  /** base64, 16 bytes */
  tag: string;
  /** base64 ciphertext */
  data: string;
}

/** 2^15 × 8 × 128 bytes = 32 MiB of memory, ~0.1 s: slow for guessing, fine once per command. */
export function newKdf(): KdfParams {
  return { name: 'scrypt', salt: randomBytes(16).toString('base64'), N: 32768, r: 8, p: 1 };
}

const keys = new Map<string, Buffer>();

export function deriveKey(masterKey: string, kdf: KdfParams): Buffer {
  const id = `${kdf.salt}:${kdf.N}:${kdf.r}:${kdf.p}:${masterKey}`;
  let key = keys.get(id);
  if (!key) {
    key = scryptSync(masterKey.normalize('NFC'), Buffer.from(kdf.salt, 'base64'), 32, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r });
    keys.set(id, key);
  }
  return key;
}

export function seal(key: Buffer, aad: string, plaintext: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

/** The plaintext, or undefined when the key (or the name) is wrong or the record was altered. */
export function open(key: Buffer, aad: string, s: Sealed): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(s.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(s.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(s.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
