#!/usr/bin/env node
// Recorder hook registered beside fwguard in every command-hook agent: appends the exact stdin
// the real client sent (plus the time and the event it was registered for, argv[3]) to the
// JSON-lines file named by argv[2]. It prints
// nothing and exits 0, which every client reads as "no opinion", so it never changes an outcome.
import { appendFileSync, readFileSync } from 'node:fs';

const [, , log, event] = process.argv;
let raw;
try {
  raw = readFileSync(0, 'utf8');
} catch {
  raw = '';
}
let payload;
try {
  payload = JSON.parse(raw);
} catch {
  payload = { unparsed: raw };
}
if (log) appendFileSync(log, JSON.stringify({ t: new Date().toISOString(), event, payload }) + '\n');
