import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../shared/log';
import { testHotline } from './support/hotline';
import { RegistryRepository } from '../shared/store/registry';
import { fixture, fixtureRequest } from './support/fixtures';
import { sampleRegistryEntries } from './support/registry';
import { startTestStore, type TestStore } from './support/dynalite';

let store: TestStore;
const logLines: string[] = [];

function appWith(env: Record<string, string> = {}) {
  return testHotline(store, env, createLogger('test', (line) => logLines.push(line)));
}

async function post(app: ReturnType<typeof appWith>['app'], request: Request) {
  const response = await app.request(request);
  return { status: response.status, type: response.headers.get('content-type'), body: await response.text() };
}

async function tableItems() {
  return (await store.client.send(new ScanCommand({ TableName: store.tableName }))).Items ?? [];
}

beforeAll(async () => {
  store = await startTestStore();
  await new RegistryRepository(store.client, store.tableName).putEntries(sampleRegistryEntries());
});
afterAll(async () => store.close());
beforeEach(() => {
  logLines.length = 0;
});

describe('POST /ussd/africastalking with the provider fixtures', () => {
  it('walks first dial → language → main menu and stores the choice under a keyed hash', async () => {
    const { app, deps } = appWith();
    const first = await post(app, fixtureRequest(fixture('africastalking/ussd-first-dial')));
    expect(first).toEqual({
      status: 200,
      type: 'text/plain;charset=UTF-8',
      body: 'CON Забон / Язык / Language\n1. Тоҷикӣ\n2. Русский\n3. English\n4. Oʻzbekcha\n5. Кыргызча',
    });
    const second = await post(app, fixtureRequest(fixture('africastalking/ussd-second-step')));
    expect(second.body).toBe('CON 1. Санҷиши ширкат/рақам\n2. Шикоят аз фиреб\n3. Шикоятҳои ман\n98. Давом');

    const callerKey = deps.callerKey('+992927001122');
    expect(await deps.languages.get(callerKey)).toEqual({
      lang: 'tg',
      sessionId: 'ATUid_7b1f0c3e9a5d4e21b8f2',
      sessionStartLang: undefined,
    });
    // No item anywhere holds the raw number, in any of its forms.
    expect(JSON.stringify(await tableItems())).not.toMatch(/927001122/);
  });

  it('replays the rest of the session from its path, then greets the caller in Tajik next time', async () => {
    const { app } = appWith();
    const deep = await post(app, fixtureRequest(fixture('africastalking/ussd-deep-path-cyrillic')));
    expect(deep.status).toBe(200);
    // 1 (Tajik) * 1 (check) * 1 (agency or employer) * a name typed in Tajik that two sample agencies share.
    expect(deep.body).toBe('CON 1. Ширкати Ҷаҳонгир Сафар (SAMPLE)\n2. Ҷаҳонгир Тур (SAMPLE)\n0. Бозгашт');
    const nextSession = await post(
      app,
      fixtureRequest(fixture('africastalking/ussd-first-dial'), { sessionId: 'ATUid_another_session' }),
    );
    expect(nextSession.body).toBe('CON 1. Санҷиши ширкат/рақам\n2. Шикоят аз фиреб\n3. Шикоятҳои ман\n98. Давом');
  });

  it('walks the menu in all three languages', async () => {
    const { app } = appWith();
    const expected = {
      '1': 'CON 1. Аломатҳои фиреб\n2. UK: кор бе пул\n3. Раводиди воқеӣ\n98. Давом\n0. Бозгашт',
      '2': 'CON 1. Признаки обмана\n2. UK: работа без платы\n98. Далее\n0. Назад',
      '3': 'CON Safe migration advice\n1. Signs of fraud\n2. UK jobs: no fees\n3. How the real visa works\n4. Official contacts\n5. Russia: patent, registration\n0. Back',
    };
    for (const [choice, body] of Object.entries(expected)) {
      const request = (text: string) =>
        fixtureRequest(fixture('africastalking/ussd-first-dial'), {
          sessionId: `lang-${choice}`,
          phoneNumber: `+99290000000${choice}`,
          text,
        });
      await post(app, request(''));
      await post(app, request(choice));
      expect((await post(app, request(`${choice}*4`))).body).toBe(body);
    }
  });

  it('acknowledges the end-of-session notification and logs no phone number', async () => {
    const { app } = appWith();
    const response = await post(app, fixtureRequest(fixture('africastalking/ussd-session-event')));
    expect(response).toMatchObject({ status: 200, body: 'OK' });
    expect(logLines.join('\n')).toContain('ussd session ended');
    expect(logLines.join('\n')).not.toContain('927001122');
  });

  it('answers a malformed request with 400 and a short reason', async () => {
    const { app } = appWith();
    const response = await post(
      app,
      new Request('http://localhost/ussd/africastalking', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'text=1',
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/^Bad request: sessionId: /);
  });

  it('apologises politely, with END and status 200, when the store is down', async () => {
    const { app } = appWith({ AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9' });
    const response = await post(app, fixtureRequest(fixture('africastalking/ussd-first-dial')));
    expect(response).toMatchObject({
      status: 200,
      body: 'END Бубахшед, хидмат банд аст. Пас аз як дақиқа кӯшиш кунед.',
    });
    expect(logLines.join('\n')).toContain('language lookup failed');
  });
});

describe('AT_WEBHOOK_TOKEN', () => {
  const token = 'test-token-0123456789';

  it('refuses requests without the right token with 403 and changes nothing', async () => {
    const { app } = appWith({ AT_WEBHOOK_TOKEN: token });
    const before = await tableItems();
    const f = fixture('africastalking/ussd-second-step');
    for (const path of [f.path, `${f.path}?token=wrong`, `${f.path}?token=${token}x`, `${f.path}?Token=${token}`]) {
      const response = await post(app, fixtureRequest(f, { sessionId: 'token-test', phoneNumber: '+992900000009' }, path));
      expect(response.status, path).toBe(403);
    }
    const event = fixture('africastalking/ussd-session-event');
    expect((await post(app, fixtureRequest(event))).status).toBe(403);
    expect(await tableItems()).toEqual(before);
  });

  it('serves requests carrying the token', async () => {
    const { app } = appWith({ AT_WEBHOOK_TOKEN: token });
    const f = fixture('africastalking/ussd-first-dial');
    const response = await post(app, fixtureRequest(f, { sessionId: 'token-ok' }, `${f.path}?token=${token}`));
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/^CON /);
  });
});
