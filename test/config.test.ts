import { describe, expect, it } from 'vitest';
import { loadConfig } from '../shared/config';

describe('loadConfig', () => {
  it('gives a working local configuration with no variables set', () => {
    const config = loadConfig({});
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
    const config = loadConfig({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9000', USSD_MAX_CHARS_UCS2: '70' });
    expect(config.dynamoEndpoint).toBe('http://127.0.0.1:9000');
    expect(config.ussdLimits.ucs2).toBe(70);
  });

  it('names every wrong variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', AT_WEBHOOK_TOKEN: 'short', USSD_MAX_CHARS_GSM: '-1' })).toThrow(
      /Invalid configuration:\n- PORT: .*\n- AT_WEBHOOK_TOKEN: at least 16 characters\n- USSD_MAX_CHARS_GSM: /,
    );
  });

  it('refuses to run on AWS without the webhook token and the phone hash key', () => {
    expect(() => loadConfig({ HOTLINE_MODE: 'aws' })).toThrow(
      '- AT_WEBHOOK_TOKEN: required when HOTLINE_MODE=aws\n- PHONE_HASH_KEY: required when HOTLINE_MODE=aws\n- PUBLIC_BASE_URL: required when HOTLINE_MODE=aws',
    );
    const config = loadConfig({
      HOTLINE_MODE: 'aws',
      AT_WEBHOOK_TOKEN: 'a-token-of-sixteen+',
      PHONE_HASH_KEY: 'k'.repeat(32),
      PUBLIC_BASE_URL: 'https://hotline.example.org',
    });
    expect(config.dynamoEndpoint).toBeUndefined();
  });
});
