// Runs once per vitest run: a unique id that test helpers use to name their databases and
// Redis prefixes, so parallel runs on one machine never collide.
import { randomBytes } from 'node:crypto';

export default function setup(): void {
  process.env.QLY_TEST_RUN ??= `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}
