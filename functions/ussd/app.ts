import { Hono } from 'hono';
import {
  atUssdEventSchema,
  atUssdRequestSchema,
  renderUssd,
  requireAtToken,
  ussdPath,
} from '../../shared/channels/africastalking';
import { identifierValue } from '../../shared/domain/report';
import { dushanbeToday } from '../../shared/domain/verify';
import {
  chosenLanguage,
  identifierKey,
  reportFromAnswers,
  sessionStartLanguage,
  unavailableReply,
  ussdStep,
  type UssdData,
  type UssdNeed,
  type UssdRequest,
} from '../../shared/domain/ussd';
import { t } from '../../shared/domain/prompts';
import { reportAdvice } from '../../shared/domain/report-texts';
import { submitReport } from '../../shared/intake';
import { metrics } from '../../shared/metrics';
import { parseForm } from '../../shared/http';
import type { ChannelDeps, Provider } from '../../shared/runtime';

/**
 * Runs the pure step, then whatever it asks of the shell: the lookups its screen needs (report summaries of an
 * identifier, the caller's own reports) and the report it submits; each time the step runs again with the results.
 * A lookup that fails leaves the answer without it rather than failing the screen.
 */
async function runStep(deps: ChannelDeps, request: UssdRequest, caller: { phone: string; key: string }, idempotencyKey: string) {
  let data = request.data;
  let result = ussdStep(request);
  if (result.needs.length > 0) {
    data = { ...data, ...(await lookUp(deps, result.needs, caller.key, data)) };
    result = ussdStep({ ...request, data });
  }
  const submit = result.effects.find((effect) => effect.type === 'submitReport');
  if (submit && result.lang) {
    const outcome = await submitReport(
      deps.intake,
      { ...reportFromAnswers(submit.answers, submit.lang, caller.phone, deps.cardHash), reporterPhone: caller.phone },
      idempotencyKey,
    );
    data = { ...data, submitted: outcome.saved ? { saved: true, report: outcome.report } : { saved: false } };
    result = ussdStep({ ...request, data });
    // The same reference and advice by SMS, to keep; a failed SMS does not undo the report.
    if (outcome.saved && outcome.created) {
      const { report } = outcome;
      const advice = t(submit.lang, reportAdvice(report));
      await deps.outbox
        .send(caller.phone, t(submit.lang, 'sms.reportReceived', { ref: report.reference, advice }))
        .catch((error: unknown) => deps.log.error('report confirmation SMS not queued', { reference: report.reference, error }));
    }
  }
  return result;
}

async function lookUp(deps: ChannelDeps, needs: UssdNeed[], callerKey: string, data: UssdData): Promise<Partial<UssdData>> {
  const found: Partial<UssdData> = {};
  const reported = new Map(data.reported);
  await Promise.all(
    needs.map(async (need) => {
      if (need.type === 'myReports') {
        found.myReports = await deps.reports.listByReporter(callerKey, MY_REPORTS_SHOWN).catch((error: unknown) => {
          deps.log.error('my reports lookup failed', { callerKey, error });
          return undefined;
        });
        return;
      }
      const { identifier } = need;
      const summary = await deps.reports.getIdentifierSummary(identifier.kind, identifierValue(identifier)).catch((error: unknown) => {
        deps.log.error('reported identifier lookup failed', { kind: identifier.kind, error });
        return undefined;
      });
      reported.set(identifierKey(identifier), summary ? { reporters: summary.reporters, lastSeen: summary.lastSeen } : null);
    }),
  );
  return { ...found, reported };
}

/** How many of a caller's reports "My reports" lists, newest first. */
const MY_REPORTS_SHOWN = 5;

/** The USSD webhooks: a thin shell that parses, looks up, runs the pure conversation step, and runs its effects. */
export function createUssdApp(getDeps: Provider<ChannelDeps>): Hono {
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

    const result = await runStep(
      deps,
      {
        path: ussdPath(request.text),
        startLang: sessionStartLanguage(stored, request.sessionId),
        limits: deps.config.ussdLimits,
        data: { registry, today: dushanbeToday(), cardHash: deps.cardHash, reported: new Map() },
      },
      { phone: request.phoneNumber, key: callerKey },
      // A gateway's retry of the final step carries the same session and path: the same report.
      `ussd:${request.sessionId}:${request.text}`,
    );
    for (const effect of result.effects) {
      if (effect.type === 'verified') metrics.countVerification(effect.kind);
      if (effect.type !== 'rememberLanguage') continue;
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
