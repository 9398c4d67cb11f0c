// The reporter of `make test` (`tap --reporter=./scripts/tap-progress.mjs`): where the run is, while it runs.
//
// tap runs the test files three at a time and prints each file's TAP when the file ends, so raw TAP says nothing
// about the files still running, and tap's own reporter draws only on a terminal. This one passes tap's TAP through
// unchanged (so `.ci/run` still reads tap's closing "# { total: ... }" block), adds a comment line after each file
// ("# [12/158 files, 3m05s] running: ..."), one every minute while nothing ends, and closes with the counts, the
// failed files and the slowest files. On a terminal it keeps a status line at the bottom instead and prints the TAP
// of failed files only.
import { Transform } from 'node:stream';
import { t as root } from 'tap';

const STILL_RUNNING_EVERY_MS = 60_000;
const SLOWEST = 8;

export default class Progress extends Transform {
  #interactive = Boolean(process.stdout.isTTY);
  #started = Date.now();
  /** Test files tap has queued (it queues every file at the start). */
  #total = 0;
  #done = 0;
  #running = new Map();
  #durations = [];
  #failed = [];
  /** The text of an unfinished line, and of the current file's TAP block (interactive mode keeps it for failures). */
  #partial = '';
  #block;
  #showing = false;
  #statusShown = false;
  #timer;
  /** tap's closing counts ("# { total: 5, pass: 2, fail: 1, todo: 1, skip: 1 }", over several lines when long). */
  #countsText;
  #counts = {};

  constructor() {
    super({ decodeStrings: false, encoding: 'utf8' });
    root.on('subtestAdd', () => this.#total++);
    root.on('subtestStart', (test) => this.#running.set(test.name, Date.now()));
    root.on('subtestEnd', (test) => this.#ended(test));
    this.#timer = setInterval(() => this.#tick(), this.#interactive ? 1_000 : STILL_RUNNING_EVERY_MS);
    this.#timer.unref();
  }

  _transform(chunk, _encoding, callback) {
    const lines = (this.#partial + chunk).split('\n');
    this.#partial = lines.pop();
    for (const line of lines) this.#line(line);
    callback();
  }

  _flush(callback) {
    clearInterval(this.#timer);
    if (this.#partial) this.#line(this.#partial);
    this.#clearStatus();
    const counts = this.#counts;
    const slowest = [...this.#durations].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST);
    const out = [
      `# ${this.#done} test files in ${formatDuration(Date.now() - this.#started)}: ${counts.pass ?? 0} passed, ${counts.fail ?? 0} failed, ${counts.skip ?? 0} skipped, ${counts.todo ?? 0} todo`,
      ...this.#failed.map((name) => `# failed: ${name}`),
      `# slowest files: ${slowest.map((d) => `${d.name} ${formatDuration(d.ms)}`).join(', ')}`,
    ];
    this.push(`${out.join('\n')}\n`);
    callback();
  }

  #line(line) {
    if (line.startsWith('# {')) this.#countsText = '';
    if (this.#countsText !== undefined) {
      this.#countsText += line.slice(1);
      if (line.includes('}')) {
        this.#counts = Object.fromEntries([...this.#countsText.matchAll(/(\w+): (\d+)/g)].map(([, key, n]) => [key, Number(n)]));
        this.#countsText = undefined;
      }
    }
    if (!this.#interactive) {
      this.push(`${line}\n`);
      return;
    }
    // On a terminal: a top-level block per file ("# Subtest: <file>" ... "ok N - <file>"), shown whole when the
    // file failed (with the diagnostics indented under its "not ok"), else its closing line only.
    if (line.startsWith('# Subtest:')) {
      this.#block = [line];
      return;
    }
    if (this.#block) {
      this.#block.push(line);
      const end = /^(not )?ok \d+ - /.exec(line);
      if (!end) return;
      this.#showing = Boolean(end[1]);
      this.#show(this.#showing ? this.#block.join('\n') : line);
      this.#block = undefined;
      return;
    }
    if (line.startsWith(' ')) {
      if (this.#showing) this.#show(line);
    } else if (line !== '') {
      this.#showing = false;
      this.#show(line);
    }
  }

  #show(text) {
    this.#clearStatus();
    this.push(`${text}\n`);
  }

  #ended(test) {
    const began = this.#running.get(test.name) ?? this.#started;
    this.#running.delete(test.name);
    this.#done++;
    this.#durations.push({ name: test.name, ms: Date.now() - began });
    if (test.results && !test.results.ok) this.#failed.push(test.name);
    if (this.#interactive) this.#drawStatus();
    else this.push(`${this.#progress()}\n`);
  }

  #tick() {
    if (this.#interactive) this.#drawStatus();
    else if (this.#running.size > 0) this.push(`${this.#progress()}\n`);
  }

  #progress() {
    const now = Date.now();
    const running = [...this.#running].map(([name, began]) => `${name} (${formatDuration(now - began)})`);
    return `# [${this.#done}/${this.#total} files, ${formatDuration(now - this.#started)}${this.#failed.length ? `, ${this.#failed.length} failed` : ''}] running: ${running.join(', ') || 'none'}`;
  }

  #drawStatus() {
    const text = this.#progress().slice(2);
    const width = process.stderr.columns || 120;
    process.stderr.write(`\r\x1b[K${text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text}`);
    this.#statusShown = true;
  }

  #clearStatus() {
    if (this.#statusShown) process.stderr.write('\r\x1b[K');
    this.#statusShown = false;
  }
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
