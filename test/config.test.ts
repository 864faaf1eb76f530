import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchEnvSchema, loadConfig, runsOnLambda, storeTargetSchema } from '../shared/config';
import { EVERY_SECTION, loadWholeConfig } from '../shared/config-sections';
import { escalationSection } from '../shared/escalation/config';
import { outreachSection } from '../shared/outreach/config';

describe('loadConfig', () => {
  it('gives a working local configuration with no variables set', () => {
    const config = loadWholeConfig({});
    expect(config).toMatchObject({
      mode: 'local',
      port: 3000,
      dynamoEndpoint: 'http://127.0.0.1:8000',
      tableName: 'safejob-hotline',
      atWebhookToken: undefined,
      ussdLimits: { gsm: 182, ucs2: 80 },
      seedSampleData: true,
    });
  });

  it('reads the standard AWS endpoint variable and the limits', () => {
    const config = loadWholeConfig({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9000', USSD_MAX_CHARS_UCS2: '70' });
    expect(config.dynamoEndpoint).toBe('http://127.0.0.1:9000');
    expect(config.ussdLimits.ucs2).toBe(70);
  });

  it('names every wrong variable in one error, each with why in plain English (zod/mini has no messages of its own)', () => {
    expect(() => loadWholeConfig({ PORT: 'eighty', AT_WEBHOOK_TOKEN: 'short', USSD_MAX_CHARS_GSM: '-1', PUBLIC_BASE_URL: 'hotline' })).toThrow(
      'Invalid configuration:\n' +
        '- PORT: Invalid input: expected number, received NaN\n' +
        '- AT_WEBHOOK_TOKEN: at least 16 characters\n' +
        '- USSD_MAX_CHARS_GSM: Too small: expected number to be >0\n' +
        '- PUBLIC_BASE_URL: Invalid URL',
    );
  });

  it('refuses to run on AWS without the webhook token and the phone hash key', () => {
    expect(() => loadWholeConfig({ HOTLINE_MODE: 'aws' })).toThrow(
      '- AT_WEBHOOK_TOKEN: required when HOTLINE_MODE=aws\n- PHONE_HASH_KEY: required when HOTLINE_MODE=aws\n- PUBLIC_BASE_URL: required when HOTLINE_MODE=aws',
    );
    const config = loadWholeConfig({
      HOTLINE_MODE: 'aws',
      AT_WEBHOOK_TOKEN: 'a-token-of-sixteen+',
      PHONE_HASH_KEY: 'k'.repeat(32),
      PUBLIC_BASE_URL: 'https://hotline.example.org',
    });
    expect(config.dynamoEndpoint).toBeUndefined();
  });
});

describe("a function's sections (each Lambda parses only what it reads)", () => {
  it('parses the base alone when no section is named: a wrong variable of a section it does not read does not stop it', () => {
    const config = loadConfig({ ESCALATION_ACK_TIMEOUT_SECONDS: 'never', BROADCAST_QUIET_HOURS: 'always', TABLE_NAME: 'outbox-table' });
    expect(config.tableName).toBe('outbox-table');
    expect(Object.keys(config)).not.toEqual(expect.arrayContaining(['escalation']));
    for (const name of Object.keys(EVERY_SECTION)) expect(config, name).not.toHaveProperty(name);
  });

  it('parses and checks the sections it names, with the same messages as the whole configuration', () => {
    const env = { ESCALATION_ACK_TIMEOUT_SECONDS: '0', BROADCAST_QUIET_HOURS: 'always', PORT: 'eighty' };
    const whole = (() => {
      try {
        return loadWholeConfig(env);
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(() => loadConfig(env, { escalation: escalationSection, outreach: outreachSection })).toThrow(
      'Invalid configuration:\n' +
        '- PORT: Invalid input: expected number, received NaN\n' +
        '- ESCALATION_ACK_TIMEOUT_SECONDS: Too small: expected number to be >=1\n' +
        '- BROADCAST_QUIET_HOURS: FROM-UNTIL hours such as 22-08, or empty',
    );
    expect(whole).toBe(
      'Invalid configuration:\n' +
        '- PORT: Invalid input: expected number, received NaN\n' +
        '- ESCALATION_ACK_TIMEOUT_SECONDS: Too small: expected number to be >=1\n' +
        '- BROADCAST_QUIET_HOURS: FROM-UNTIL hours such as 22-08, or empty',
    );
    const config = loadConfig({ ESCALATION_ACK_TIMEOUT_SECONDS: '30' }, { escalation: escalationSection });
    expect(config.escalation.ackTimeoutSeconds).toBe(30);
    expect(config).not.toHaveProperty('outreach');
  });

  it('gives the whole configuration the base and every section, as one process (npm start) reads it', () => {
    const whole = loadWholeConfig({});
    const { escalation, voice, quiz, outreach, console, studio, ...base } = whole;
    expect(base).toEqual(loadConfig({}));
    expect({ escalation, voice, quiz, outreach, console, studio }).toEqual(
      Object.fromEntries(Object.entries(loadConfig({}, EVERY_SECTION)).filter(([name]) => name in EVERY_SECTION)),
    );
    expect(escalation.ackTimeoutSeconds).toBe(600);
    expect(console.clientId).toBe('safejob-console');
  });
});

describe('storeTargetSchema (the operator commands)', () => {
  it('finds the same table as the hotline with the same variables, without needing its secrets', () => {
    const variables = [
      {},
      { TABLE_NAME: 'other-table', AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9000' },
      { HOTLINE_MODE: 'aws', AWS_REGION: 'eu-central-1', TABLE_NAME: 'deployed' },
    ];
    for (const env of variables) {
      const target = storeTargetSchema.parse(env);
      const secrets = { AT_WEBHOOK_TOKEN: 'a-token-of-sixteen+', PHONE_HASH_KEY: 'k'.repeat(32), PUBLIC_BASE_URL: 'https://hotline.example.org' };
      const config = loadWholeConfig({ ...env, ...secrets });
      expect(target).toEqual({ region: config.region, endpoint: config.dynamoEndpoint, tableName: config.tableName });
    }
    expect(storeTargetSchema.parse({ HOTLINE_MODE: 'aws', TABLE_NAME: 'deployed' })).toEqual({ region: 'eu-west-2', endpoint: undefined, tableName: 'deployed' });
  });

  it('names a wrong table name', () => {
    const parsed = storeTargetSchema.safeParse({ TABLE_NAME: 'a b' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['TABLE_NAME', 'a DynamoDB table name']]);
  });
});

describe('the rest of the environment', () => {
  it('gives the intake replay its dead-letter queue with the journal queue', () => {
    const journal = 'https://sqs.eu-west-2.amazonaws.com/123456789012/journal';
    const deadLetters = 'https://sqs.eu-west-2.amazonaws.com/123456789012/journal-dead-letters';
    expect(loadWholeConfig({ REPORT_JOURNAL_QUEUE_URL: journal, REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: deadLetters }).reports.journal).toEqual({
      kind: 'sqs',
      queueUrl: journal,
      deadLetterQueueUrl: deadLetters,
    });
    expect(() => loadWholeConfig({ REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: 'journal-dead-letters' })).toThrow(/- REPORT_JOURNAL_DEAD_LETTER_QUEUE_URL: /);
  });

  it('knows a Lambda container by the variable its runtime sets', () => {
    expect(runsOnLambda({ AWS_LAMBDA_FUNCTION_NAME: 'SafeJobHotline-UssdFunction' })).toBe(true);
    expect(runsOnLambda({})).toBe(false);
  });

  it('reads the benchmark options, with their defaults', () => {
    expect(benchEnvSchema.parse({})).toEqual({
      BENCH_ONLY: new Set(['registry', 'bundles', 'http', 'broadcast']),
      BENCH_SECONDS: 10,
      REGISTRY_ENTRIES: 10_000,
      BENCH_SUBSCRIBERS: [1000, 10_000, 100_000],
      BENCH_SEND_SAMPLE: 5000,
    });
    expect(benchEnvSchema.parse({ BENCH_SUBSCRIBERS: '1000, 2000' }).BENCH_SUBSCRIBERS).toEqual([1000, 2000]);
    expect(benchEnvSchema.safeParse({ BENCH_SUBSCRIBERS: 'many' }).success).toBe(false);
    expect(benchEnvSchema.parse({ BENCH_ONLY: 'http, bundles', BENCH_SECONDS: '3' })).toMatchObject({ BENCH_ONLY: new Set(['http', 'bundles']), BENCH_SECONDS: 3 });
    expect(benchEnvSchema.safeParse({ BENCH_SECONDS: 'ten' }).success).toBe(false);
  });
});

describe('one configuration module', () => {
  it('is the only code that reads the process environment', () => {
    const root = new URL('..', import.meta.url).pathname;
    const sources = (dir: string): string[] =>
      readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
        return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
      });
    const topLevel = readdirSync(root).filter((name) => /\.(ts|js|mjs|cjs)$/.test(name));
    const readers = [...topLevel, ...['functions', 'shared', 'infra', 'bench', 'simulator', 'test'].flatMap(sources)]
      .filter((path) => /process\.env\b/.test(readFileSync(join(root, path), 'utf8')))
      .map((path) => relative(root, join(root, path)));
    expect(readers).toEqual(['shared/config.ts']);
  });
});
