// The smpp package (node-smpp) ships no types; this is the part of its server API the Kannel tests use.
declare module 'smpp' {
  import type { Server as NetServer } from 'node:net';
  interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: any;
    response(fields?: Record<string, unknown>): Pdu;
  }
  interface Session {
    on(event: string, listener: (pdu: Pdu) => void): this;
    removeListener(event: string, listener: (pdu: Pdu) => void): this;
    on(event: 'close' | 'error', listener: (error?: Error) => void): this;
    send(pdu: Pdu): boolean;
    deliver_sm(fields: Record<string, unknown>, callback?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
  }
  interface Server extends NetServer {}
  export function createServer(listener: (session: Session) => void): Server;
  export const ESME_ROK: number;
}
