/**
 * Reading and printing instants, in one process: `npx tsx bench/timestamps.ts`. PostgreSQL's `timestamptz` text read
 * by pg's own parser (postgres-date, what a bare pg client uses) against Spruce's parseTimestamptzText, and a Date
 * printed by `toISOString` against Spruce's isoStringOf; in alternating rounds, medians of nanoseconds a value. A
 * feed page on PostgreSQL reads 63 timestamps and prints 40.
 */
import pg from 'pg';
import { isoStringOf } from '../src/core/iso-instant.js';
import { parseTimestamptzText } from '../src/infra/postgres-timestamps.js';
import { machine } from './lib/load.js';
import { median } from './lib/median.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 7);
const calls = 200_000;
const asPgReadsIt = pg.types.getTypeParser(1184, 'text') as (text: string) => Date;

// 64 instants a few minutes apart, as PostgreSQL prints them in UTC: milliseconds, and microseconds on every other.
const texts = Array.from({ length: 64 }, (_, index) =>
  new Date(Date.UTC(2026, 10, 22) - index * 123_457).toISOString().replace('T', ' ').replace('Z', `${index % 2 === 1 ? '123' : ''}+00`),
);
const dates = texts.map(asPgReadsIt);
for (const text of texts) {
  if (parseTimestamptzText(text)?.getTime() !== asPgReadsIt(text).getTime()) throw new Error(`the parsers disagree on ${text}`);
}
for (const date of dates) {
  if (isoStringOf(date) !== date.toISOString()) throw new Error(`the printers disagree on ${date.toISOString()}`);
}

// Each case returns something that depends on the result, so the work is not optimised away; the printed
// strings are read at one position, which also flattens a concatenated one, as writing it out would.
const cases: Record<string, () => number> = {
  'read: pg (postgres-date)': () => {
    let sink = 0;
    for (let index = 0; index < calls; index++) sink += asPgReadsIt(texts[index & 63]!).getTime() & 1;
    return sink;
  },
  'read: parseTimestamptzText': () => {
    let sink = 0;
    for (let index = 0; index < calls; index++) sink += parseTimestamptzText(texts[index & 63]!)!.getTime() & 1;
    return sink;
  },
  'print: toISOString': () => {
    let sink = 0;
    for (let index = 0; index < calls; index++) sink += dates[index & 63]!.toISOString().charCodeAt(22);
    return sink;
  },
  'print: isoStringOf': () => {
    let sink = 0;
    for (let index = 0; index < calls; index++) sink += isoStringOf(dates[index & 63]!).charCodeAt(22);
    return sink;
  },
};

const nanoseconds = new Map<string, number[]>(Object.keys(cases).map((name) => [name, []]));
for (let round = 0; round < rounds; round++) {
  const names = round % 2 === 0 ? Object.keys(cases) : Object.keys(cases).reverse();
  for (const name of names) {
    const started = process.hrtime.bigint();
    cases[name]!();
    nanoseconds.get(name)!.push(Number(process.hrtime.bigint() - started) / calls);
  }
}
console.log(`${machine()}; ${rounds} alternating rounds of ${calls.toLocaleString('en')} calls`);
for (const [name, values] of nanoseconds) console.log(`  ${name.padEnd(28)} ${median(values).toFixed(0).padStart(5)} ns a value`);
