/**
 * Jest setup file: with FC_SEED set (CI sets it), every fast-check property draws from that seed, so
 * a CI run is reproducible; without it (a developer's `npm test`) each run explores new inputs, and
 * a failure prints the seed to replay it with `FC_SEED=<seed> npm test`.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) });
