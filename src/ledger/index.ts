/** The run ledger: tamper-evident records of what each run read, wrote and found. */
export {
  canonical,
  type EntryBody,
  entryHash,
  entryLine,
  type FileRecord,
  type Json,
  type LedgerEntry,
  newRunId,
  toJson,
} from './entry.js';
export { fileRecord, hashFile, recordedPath } from './files.js';
export { generateKeyPair, keyFingerprint, loadPublicKey, loadSigner, type Signer } from './sign.js';
export { appendEntry, type EntryDraft, type Head, readHead, readLedgerText, sealEntry } from './store.js';
export {
  type CheckResult,
  checkLedgerText,
  checkOutputs,
  type FileCheck,
  type Problem,
  type VerifyReport,
  verifyLedger,
} from './verify.js';
