/**
 * ed25519 signing of ledger entries with node:crypto. The signer's public key is recorded in the
 * entry body (so the hash covers it); `ledger verify --public-key` checks it is the expected one.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { StrataError } from '../errors.js';
import { sha256Hex } from './entry.js';

export interface Signer {
  /** base64 SPKI DER of the public key, as recorded in entries. */
  publicKey: string;
  sign(message: string): string;
}

function keyError(path: string, what: string): StrataError {
  return new StrataError(
    'ledger.bad_key',
    `${path} is not ${what}`,
    { file: path },
    'make a key pair with `strata ledger keygen -o ledger-key.pem` (or `openssl genpkey -algorithm ed25519 -out ledger-key.pem`)',
  );
}

async function readKeyText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    throw new StrataError('ledger.bad_key', 'cannot read the key file', { file: path }, 'check the path');
  }
}

/** Load a PEM ed25519 private key (PKCS#8) for signing. The key never leaves this object. */
export async function loadSigner(path: string): Promise<Signer> {
  return signerFromPem(await readKeyText(path), path);
}

/** A signer from PEM text; `place` names the key in errors. */
export function signerFromPem(text: string, place = 'the key'): Signer {
  let key: KeyObject;
  try {
    key = createPrivateKey(text);
  } catch {
    throw keyError(place, 'a PEM private key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw keyError(place, 'an ed25519 private key');
  const publicKey = createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64');
  return {
    publicKey,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), key).toString('base64'),
  };
}

/** A public key (PEM, or a private key PEM from which it is derived) as recorded in entries. */
export async function loadPublicKey(path: string): Promise<string> {
  return publicKeyFromPem(await readKeyText(path), path);
}

/** A public key (base64 SPKI DER) from PEM text of a public or private key. */
export function publicKeyFromPem(text: string, path = 'the key'): string {
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw keyError(path, 'a PEM public key');
  }
  if (key.asymmetricKeyType !== 'ed25519') throw keyError(path, 'an ed25519 public key');
  return key.export({ type: 'spki', format: 'der' }).toString('base64');
}

/** Whether `signature` (base64) is `publicKey`'s (base64 SPKI DER) signature of `message`. */
export function checkSignature(publicKey: string, message: string, signature: string): boolean {
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    return verify(null, Buffer.from(message, 'utf8'), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** A short fingerprint of a recorded public key, for messages: the first 16 hex of its SHA-256. */
export function keyFingerprint(publicKey: string): string {
  return sha256Hex(Buffer.from(publicKey, 'base64')).slice(0, 16);
}

/** A new key pair as PEM text (private PKCS#8, public SPKI). */
export function generateKeyPair(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
