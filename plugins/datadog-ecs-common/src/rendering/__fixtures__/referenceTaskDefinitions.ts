/* Test helper: loads Datadog's published task definitions (fixtures copied from the reference folder). */
import fs from 'fs';
import path from 'path';
import { EcsTaskDefinition } from '../../ecsTypes';

export const REFERENCE_FILES = [
  'datadog-agent-ecs.json',
  'datadog-agent-ecs1.json',
  'datadog-agent-ecs-win.json',
  'datadog-agent-ecs-logs.json',
  'datadog-agent-sysprobe-ecs.json',
  'datadog-agent-sysprobe-ecs1.json',
  'datadog-agent-ecs-apm-uds.json',
  'datadog-agent-ecs-managed-instances-daemon.json',
  'datadog-agent-ecs-managed-instances-daemon-apm.json',
] as const;

export type ReferenceFile = (typeof REFERENCE_FILES)[number];

const DIR = path.join(__dirname, 'datadog-task-definitions');

/** A fresh (mutable) copy of a published file. */
export function loadReference(file: ReferenceFile): EcsTaskDefinition {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
}

/** Every JSON file in the fixtures folder, to prove the tests cover all of them. */
export function listReferenceFiles(): string[] {
  return fs
    .readdirSync(DIR)
    .filter(f => f.endsWith('.json'))
    .sort();
}
