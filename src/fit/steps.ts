/**
 * Fit runs as a generator that yields between its steps (structure restarts, residual rounds,
 * columns): the points where a run may be cancelled. `runSteps` drives it in one go (the
 * synchronous API); `runStepsAsync` lets the event loop run at every step, so an `AbortSignal`
 * fired by a timer or a closed request is seen within one step.
 */
import { checkpoint, throwIfAborted } from '../errors.js';

/** A computation that yields (nothing) between steps and returns a T. */
export type Steps<T> = Generator<void, T, void>;

/** Run every step now; throws `run.aborted` at the next step once `signal` has fired. */
export function runSteps<T>(steps: Steps<T>, signal?: AbortSignal): T {
  for (;;) {
    throwIfAborted(signal);
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Run the steps, letting pending events run between them; rejects with `run.aborted` on abort. */
export async function runStepsAsync<T>(steps: Steps<T>, signal?: AbortSignal): Promise<T> {
  for (;;) {
    await checkpoint(signal);
    throwIfAborted(signal);
    const r = steps.next();
    if (r.done) return r.value;
  }
}
