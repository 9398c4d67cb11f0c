// What hashicorp/aws 5.100.0 showed in each step of each scenario, recorded (scripts/record-differential.mjs) into
// test/fixtures/differential/, one file per scenario: the observations as the comparison reads them (plans and states
// normalised, API calls counted and in order, tolerated problems, errors), before any deviation is applied. Where the
// binary is absent, the differential tests compare ours against these; where it is present, the live run re-checks
// them, so a recording that no longer matches hashicorp/aws fails.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/paths';
import type { Observation } from './harness';

const DIR = join(repoRoot, 'test', 'fixtures', 'differential');
const RECORDED_WITH = 'hashicorp/aws 5.100.0 (linux_amd64), Terraform v1.11.4, every step (TF_DIFFERENTIAL=all)';

export interface RecordedStep {
  step: string;
  observation: Observation;
}

export interface Recording {
  recordedWith: string;
  scenario: string;
  steps: RecordedStep[];
}

/** The file of a scenario (or of another recorded run, such as the migration's states): its title, as a file name. */
function recordingFile(title: string): string {
  return join(DIR, `${title.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '')}.json`);
}

export function hasRecording(title: string): boolean {
  return existsSync(recordingFile(title));
}

export function readRecording(title: string): Recording {
  const file = recordingFile(title);
  if (!existsSync(file)) throw new Error(`no recording of "${title}" in test/fixtures/differential/: run scripts/record-differential.mjs where hashicorp/aws 5.100.0 is installed`);
  return JSON.parse(readFileSync(file, 'utf8')) as Recording;
}

export function writeRecording(title: string, steps: RecordedStep[]): void {
  mkdirSync(DIR, { recursive: true });
  const recording: Recording = { recordedWith: RECORDED_WITH, scenario: title, steps };
  writeFileSync(recordingFile(title), `${JSON.stringify(recording, null, 2)}\n`);
}

/** Any other recorded value (the migration's state files), under the same rules. */
export function readRecordedValue<T>(title: string): T {
  const file = recordingFile(title);
  if (!existsSync(file)) throw new Error(`no recording "${title}" in test/fixtures/differential/: run scripts/record-differential.mjs where hashicorp/aws 5.100.0 is installed`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { value: T }).value;
}

export function writeRecordedValue(title: string, value: unknown): void {
  mkdirSync(DIR, { recursive: true });
  writeFileSync(recordingFile(title), `${JSON.stringify({ recordedWith: RECORDED_WITH, scenario: title, value }, null, 2)}\n`);
}

/** What a recording compares: everything but the call order, which parallel walks change from run to run. */
export function comparable(observation: Observation): Omit<Observation, 'callSequence'> {
  const { callSequence: _order, ...rest } = observation;
  return rest;
}
