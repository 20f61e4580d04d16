/** A progress bar on a terminal for long runs; silent when stderr is not a TTY (CI, pipes). */
import cliProgress from 'cli-progress';

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(label: string, total: number, minTotal = 200_000): Progress {
  if (!process.stderr.isTTY || total < minTotal) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: `${label} [{bar}] {percentage}% | {value}/{total} rows | {eta_formatted} left`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (done) => bar.update(done),
    stop: () => bar.stop(),
  };
}

/**
 * A bar made on the first progress report (the total is known only then): `onProgress` for a verb's
 * options, `stop` when the run ends either way.
 */
export function rowProgress(label: string): {
  onProgress: (done: number, total: number) => void;
  stop(): void;
} {
  let bar: Progress | undefined;
  return {
    onProgress: (done, total) => {
      bar ??= progressBar(label, total);
      bar.update(done, total);
    },
    stop: () => bar?.stop(),
  };
}

export interface StepEvent {
  step: number;
  /** 0 when the number of steps is not known yet (the line shows the title alone). */
  steps: number;
  title: string;
  phase: 'start' | 'end';
}

/**
 * One status line for a run made of steps (evaluate's sections): "evaluate [3/11] detection: … 12 s",
 * rewritten in place every second on a terminal. Returns no-op handlers when `stream` is not a TTY
 * (CI logs and pipes stay clean) — the caller decides about --quiet.
 */
export function stepProgress(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
): { update(e: StepEvent): void; stop(): void } {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const t0 = performance.now();
  let line = '';
  const draw = () => {
    const s = Math.round((performance.now() - t0) / 1000);
    const width = Math.max(20, (stream.columns || 100) - 1);
    stream.write(`\r\x1b[2K${`${line} · ${s} s`.slice(0, width)}`);
  };
  const timer = setInterval(draw, 1000);
  timer.unref();
  return {
    update(e) {
      if (e.phase !== 'start') return;
      line = e.steps > 0 ? `${label} [${e.step}/${e.steps}] ${e.title}` : `${label}: ${e.title}`;
      draw();
    },
    stop() {
      clearInterval(timer);
      stream.write('\r\x1b[2K');
    },
  };
}
