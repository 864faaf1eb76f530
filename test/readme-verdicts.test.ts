/**
 * The README's verdict table says what a caller reads (issue 16): each row is checked against the answer the SMS
 * CHECK gives from the prompts and the sample registry, so the documented wording cannot drift from the real one.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRegistryIndex } from '../shared/domain/registry';
import { parseSmsCommand, smsReply } from '../shared/domain/sms';
import type { ReportedSummary } from '../shared/domain/verify';
import { sampleRegistryEntries, sampleUssdData } from './support/registry';

const data = sampleUssdData();
const check = (text: string, reported: ReportedSummary | null = null) =>
  smsReply(parseSmsCommand(text), { storedLang: 'en', ussdServiceCode: '*384*1234#', ...data, reported }).text;

/** The README's verdict rows: verdict → the answers quoted in backticks. */
function readmeVerdicts(): Map<string, string[]> {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('| verdict | answer |'));
  const rows = table.split('\n').slice(2).filter((line) => line.startsWith('| '));
  return new Map(rows.map((row) => [row.split('|')[1]!.trim(), [...row.matchAll(/`([^`]+)`/g)].map((m) => m[1]!)]));
}

/** A quoted answer with `…` elisions: its parts, in order, in the real answer. */
const matchesElided = (answer: string, quoted: string) => {
  let from = 0;
  for (const part of quoted.split('…').map((p) => p.trim()).filter(Boolean)) {
    const at = answer.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
};

describe('the README verdict table', () => {
  const verdicts = readmeVerdicts();
  const reportedBy = (reporters: number): ReportedSummary => ({ reporters, lastSeen: '2026-11-20T09:00:00.000Z' });

  it.each([
    ['licensed', 'CHECK Concordia', null],
    ['near match', 'CHECK Pro Force Jobs', null],
    ['revoked (name)', 'CHECK AG Recruitment', null],
    ['revoked (its phone)', 'CHECK +992900001003', null],
    ['reported', 'CHECK @uk_jobs_visa', reportedBy(4)],
    ['unknown', 'CHECK Global Visa Service', null],
  ] as const)('%s: is exactly what CHECK answers', (verdict, text, reported) => {
    const [quoted] = verdicts.get(verdict) ?? [];
    expect(quoted, verdict).toBeDefined();
    expect(check(text, reported)).toBe(quoted);
  });

  it('reported once: is worded as one report', () => {
    expect(matchesElided(check('CHECK @uk_jobs_visa', reportedBy(1)), verdicts.get('reported')![1]!)).toBe(true);
  });

  it('licensed, no contacts on file: its quoted parts are in the answer', () => {
    // Concordia with its contacts taken off: the sample registry lists every licensed entry's contacts.
    const entries = sampleRegistryEntries().map((e) => (e.name.startsWith('Concordia') ? { ...e, phones: [], websites: [] } : e));
    const answer = smsReply(parseSmsCommand('CHECK Concordia'), {
      storedLang: 'en',
      ussdServiceCode: '*384*1234#',
      ...data,
      registry: buildRegistryIndex(entries),
      reported: null,
    }).text;
    expect(matchesElided(answer, verdicts.get('licensed, no contacts on file')![0]!), answer).toBe(true);
  });
});
