/**
 * Who the urgent line rings: the officers on duty, level by level, from the rota in the table (the escalation's
 * own rules decide the chain: levels in order; nobody on duty → the supervisors).
 */
import { chainOf } from '../domain/escalation';
import type { OnCallDirectory } from '../domain/voice';
import { rotaView, type OfficerRepository } from '../store/officers';

export function officerOnCallDirectory(officers: Pick<OfficerRepository, 'list'>): OnCallDirectory {
  return {
    async onCallNumbers() {
      const records = await officers.list();
      const phoneOf = new Map(records.map((record) => [record.key, record.phone]));
      return chainOf(records.map(rotaView))
        .map((step) => step.officers.map((officer) => phoneOf.get(officer.key)).filter((phone): phone is string => !!phone))
        .filter((numbers) => numbers.length > 0);
    },
  };
}
