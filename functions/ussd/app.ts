import { Hono } from 'hono';
import {
  atUssdEventSchema,
  atUssdRequestSchema,
  renderUssd,
  requireAtToken,
  ussdPath,
} from '../../shared/channels/africastalking';
import { identifierValue } from '../../shared/domain/report';
import { dushanbeToday, type ReportedSummary } from '../../shared/domain/verify';
import {
  chosenLanguage,
  identifierKey,
  sessionStartLanguage,
  unavailableReply,
  ussdStep,
  type UssdRequest,
} from '../../shared/domain/ussd';
import { parseForm } from '../../shared/http';
import type { Deps, Provider } from '../../shared/runtime';

/**
 * Runs the pure step; when the screen it reaches needs report summaries of an identifier, looks them up and runs
 * it again with them. A lookup that fails leaves the answer without the report count rather than failing it.
 */
async function stepWithLookups(deps: Deps, request: UssdRequest) {
  const first = ussdStep(request);
  if (first.needs.length === 0) return first;
  const reported = new Map(request.data.reported);
  await Promise.all(
    first.needs.map(async (identifier) => {
      const found = await deps.reports.getIdentifier(identifier.kind, identifierValue(identifier)).catch((error: unknown) => {
        deps.log.error('reported identifier lookup failed', { kind: identifier.kind, error });
        return undefined;
      });
      const summary: ReportedSummary | null = found ? { reporters: found.reporters, lastSeen: found.lastSeen } : null;
      reported.set(identifierKey(identifier), summary);
    }),
  );
  return ussdStep({ ...request, data: { ...request.data, reported } });
}

/** The USSD webhooks: a thin shell that parses, looks up, runs the pure conversation step, and runs its effects. */
export function createUssdApp(getDeps: Provider<Deps>): Hono {
  const app = new Hono();
  const guard = requireAtToken(async () => (await getDeps()).config.atWebhookToken);

  app.get('/health', (c) => c.json({ status: 'ok' }));
  // A gateway ends the session on any non-200 answer; a caller hit by a bug still gets a polite last screen.
  app.onError(async (error, c) => {
    (await getDeps().catch(() => undefined))?.log.error('unexpected error', { path: c.req.path, error });
    return c.text(renderUssd(unavailableReply(undefined)));
  });

  app.post('/ussd/africastalking', guard, async (c) => {
    const parsed = await parseForm(c, atUssdRequestSchema);
    if (!parsed.ok) return parsed.response;
    const request = parsed.data;
    const deps = await getDeps();
    const callerKey = deps.callerKey(request.phoneNumber);
    // The language item and the registry index (from memory, a version read at most every 30 s) side by side.
    const [stored, registry] = await Promise.all([
      deps.languages.get(callerKey).catch((error: unknown) => {
        deps.log.error('language lookup failed', { callerKey, error });
        return null;
      }),
      deps.registry.get().catch((error: unknown) => {
        deps.log.error('registry unavailable', { error });
        return undefined;
      }),
    ]);
    if (stored === null) return c.text(renderUssd(unavailableReply(undefined)));

    const result = await stepWithLookups(deps, {
      path: ussdPath(request.text),
      startLang: sessionStartLanguage(stored, request.sessionId),
      limits: deps.config.ussdLimits,
      data: { registry, today: dushanbeToday(), cardHash: deps.cardHash, reported: new Map() },
    });
    for (const effect of result.effects) {
      // A lost language choice costs the caller nothing in this session (the path still holds it), so the reply
      // goes out even when the write fails.
      await deps.languages
        .put(callerKey, chosenLanguage(stored, request.sessionId, effect.lang))
        .catch((error: unknown) => deps.log.error('language write failed', { callerKey, error }));
    }
    return c.text(renderUssd(result.reply));
  });

  app.post('/ussd/africastalking/events', guard, async (c) => {
    const parsed = await parseForm(c, atUssdEventSchema);
    if (!parsed.ok) return parsed.response;
    const { sessionId, status, durationInMillis, hopsCount, errorMessage } = parsed.data;
    (await getDeps()).log.info('ussd session ended', { sessionId, status, durationInMillis, hopsCount, errorMessage });
    return c.text('OK');
  });

  return app;
}
