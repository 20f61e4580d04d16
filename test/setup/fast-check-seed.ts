/**
 * Property tests draw fresh cases on every local run, which is how they find bugs (the relational
 * time-window one was found that way, by CI). CI pins the seed (`.ci/run` sets STRATA_FC_SEED) so a
 * landing is decided by the code, not by the draw; a failure prints its seed and path to replay it.
 */
import fc from 'fast-check';

const raw = process.env.STRATA_FC_SEED;
if (raw !== undefined && raw !== '') {
  const seed = Number(raw);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(`STRATA_FC_SEED must be a whole number (it seeds fast-check), got "${raw}"`);
  }
  fc.configureGlobal({ seed });
}
