/**
 * The officers' and escalations' repositories against dynalite: real DynamoDB calls, conditional writes included.
 */
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type EscalationState } from '../shared/domain/escalation';
import type { Report } from '../shared/domain/report';
import { EscalationRepository } from '../shared/store/escalations';
import { keys } from '../shared/store/keys';
import { OfficerRepository, rotaView } from '../shared/store/officers';
import { startTestStore, type TestStore } from './support/dynalite';
import { OFFICERS, officerImport, rotaOfficer } from './support/escalation';
import { createActiveTable } from './support/tables';

let store: TestStore;
let tables = 0;
beforeAll(async () => {
  store = await startTestStore();
});
afterAll(async () => store.close());

async function freshTable(): Promise<string> {
  const name = `esc-store-${++tables}`;
  await createActiveTable(store.client, name);
  return name;
}

const NOW = new Date('2026-11-25T08:00:00.000Z');

describe('OfficerRepository', () => {
  it('adds officers on duty, finds them by key, lists the rota in level order, and keeps the number out of the key', async () => {
    const table = await freshTable();
    const repo = new OfficerRepository(store.client, table);
    const result = await repo.putOfficers([officerImport(OFFICERS.malika), officerImport(OFFICERS.aziz)], NOW);
    expect(result.outcomes.map((o) => o.outcome)).toEqual(['added', 'added']);
    const aziz = await repo.get(officerImport(OFFICERS.aziz).key);
    expect(aziz).toMatchObject({ name: 'Aziz', phone: '+992900009101', role: 'officer', languages: ['tg', 'ru'], level: 1, onDuty: true });
    expect((await repo.list()).map((o) => o.name)).toEqual(['Aziz', 'Malika']);
    const { Items = [] } = await store.client.send(new ScanCommand({ TableName: table }));
    for (const item of Items) expect(`${item.pk} ${item.sk}`).not.toMatch(/\d{6}/);
    expect(rotaView(aziz!)).not.toHaveProperty('phone');
  });

  it('re-imports idempotently: unchanged rows are not written, changed ones keep their duty status', async () => {
    const repo = new OfficerRepository(store.client, await freshTable());
    await repo.putOfficers([officerImport(OFFICERS.aziz), officerImport(OFFICERS.emma)], NOW);
    await repo.setDuty(officerImport(OFFICERS.emma).key, false, NOW);
    const again = await repo.putOfficers([officerImport(OFFICERS.aziz), officerImport({ ...OFFICERS.emma, level: 2 })], NOW);
    expect(again.outcomes.map((o) => o.outcome)).toEqual(['unchanged', 'updated']);
    expect(await repo.get(officerImport(OFFICERS.emma).key)).toMatchObject({ level: 2, onDuty: false });
    const partial = await repo.putOfficers([officerImport(OFFICERS.aziz)], NOW);
    expect(partial.notInFile).toEqual([{ key: officerImport(OFFICERS.emma).key, name: 'Emma' }]);
    await repo.remove(officerImport(OFFICERS.emma).key);
    expect((await repo.list()).map((o) => o.name)).toEqual(['Aziz']);
  });

  it('refuses a batch naming one number twice, and a duty change for nobody', async () => {
    const repo = new OfficerRepository(store.client, await freshTable());
    await expect(repo.putOfficers([officerImport(OFFICERS.aziz), officerImport(OFFICERS.aziz)])).rejects.toThrow(/twice/);
    expect(await repo.setDuty('nobody', true)).toBeUndefined();
  });

  it('records duty changes in the rota’s audit log', async () => {
    const repo = new OfficerRepository(store.client, await freshTable());
    const actor = { key: 'k', name: 'Aziz' };
    await repo.recordDuty({ at: NOW.toISOString(), action: 'duty_off', actor });
    expect(await repo.listDutyAudit()).toEqual([expect.objectContaining({ action: 'duty_off', actor, at: NOW.toISOString() })]);
    expect(await repo.list()).toEqual([]);
  });
});

describe('EscalationRepository', () => {
  const report = { reference: '7K3R9M', category: 'other', urgency: { urgent: true, reasons: ['threats'] }, lang: 'ru', callbackConsent: false } as Report;
  const first = () => start(report, [rotaOfficer(OFFICERS.aziz)], { ackTimeoutSeconds: 600, repeatCount: 0, codeFor: () => '482193' }, NOW.getTime()).state;

  it('creates a state once and then writes only on the version it was computed from', async () => {
    const repo = new EscalationRepository(store.client, await freshTable());
    const state = first();
    expect(await repo.save(state, undefined)).toBe(true);
    expect(await repo.save(state, undefined)).toBe(false);
    expect(await repo.get('7K3R9M')).toEqual(state);

    const ack: EscalationState = { ...state, status: 'acknowledged', version: 2, acknowledgedBy: { key: 'k', name: 'Aziz', at: NOW.toISOString() } };
    const timeout: EscalationState = { ...state, step: 2, version: 2 };
    // Both computed from version 1: the first write wins, the second is refused.
    expect(await repo.save(ack, state)).toBe(true);
    expect(await repo.save(timeout, state)).toBe(false);
    expect((await repo.get('7K3R9M'))?.status).toBe('acknowledged');
  });

  it('keeps the open index in step with the state, and lists it soonest deadline first', async () => {
    const table = await freshTable();
    const repo = new EscalationRepository(store.client, table);
    const a = first();
    const b = { ...first(), reference: '8M4S2T', dueAt: '2026-11-25T08:05:00.000Z' };
    await repo.syncOpen(a);
    await repo.syncOpen(b);
    expect((await repo.listOpen()).map((o) => [o.reference, o.status, o.step])).toEqual([
      ['8M4S2T', 'paging', 1],
      ['7K3R9M', 'paging', 1],
    ]);
    await repo.syncOpen({ ...a, status: 'exhausted', dueAt: undefined });
    await repo.syncOpen({ ...b, status: 'acknowledged' });
    expect(await repo.listOpen()).toEqual([{ reference: '7K3R9M', status: 'exhausted', step: 1 }]);
    await repo.removeOpen('7K3R9M');
    expect(await repo.listOpen()).toEqual([]);
  });

  it('appends audit records in time order beside the report, and pending calls that expire', async () => {
    const table = await freshTable();
    const repo = new EscalationRepository(store.client, table);
    await repo.audit('7K3R9M', '2026-11-25T08:00:00.000Z', 'paged', undefined, { level: 1 });
    await repo.audit('7K3R9M', '2026-11-25T08:01:00.000Z', 'ack', { key: 'k', name: 'Aziz' });
    await repo.audit('7K3R9M', '2026-11-25T08:01:00.000Z', 'note', { key: 'k', name: 'Aziz' }, { note: 'called' });
    const trail = await repo.listAudit('7K3R9M');
    // Oldest first (records of the same instant in any order).
    expect(trail[0]!.action).toBe('paged');
    expect(trail.map((r) => r.action).sort()).toEqual(['ack', 'note', 'paged']);
    expect(trail[0]).toEqual({ reference: '7K3R9M', at: '2026-11-25T08:00:00.000Z', action: 'paged', detail: { level: 1 } });

    const at = NOW.toISOString();
    await repo.recordPendingCall({ reference: '7K3R9M', officerKey: 'k', at, status: 'pending' }, NOW.getTime() / 1000 + 3600);
    expect(await repo.listPendingCalls('7K3R9M', NOW.getTime())).toEqual([{ reference: '7K3R9M', officerKey: 'k', at, status: 'pending' }]);
    expect(await repo.listPendingCalls('7K3R9M', NOW.getTime() + 2 * 3600_000)).toEqual([]);
    const { Item } = await store.client.send(new GetCommand({ TableName: table, Key: keys.pendingCall('7K3R9M', at, 'k') }));
    expect(Item?.expiresAt).toBe(NOW.getTime() / 1000 + 3600);
  });
});
