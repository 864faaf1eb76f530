import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { contextOf } from './context';
import { OperatorAlarms } from './constructs/alarms';
import { watchDeepHealth } from './constructs/health-alarm';
import { Broadcasts } from './constructs/broadcasts';
import { ReportChannels } from './constructs/channels';
import { OnCallEscalation } from './constructs/escalation';
import { WebhookApi } from './constructs/http-api';
import { IntakeJournal } from './constructs/intake-journal';
import { NumberVault } from './constructs/number-vault';
import { SmsOutbox } from './constructs/outbox';
import { addOperatorOutputs } from './constructs/outputs';
import { HotlineSecrets } from './constructs/secrets';
import { HotlineTable } from './constructs/table';
import { KannelHost, kannelHostContext } from './kannel-host';
import { BackOfficeConsole } from './constructs/console';
import { PromptAudio } from './constructs/prompt-audio';

/**
 * The SafeJob Hotline on AWS: one table, the USSD, SMS and voice functions behind an HTTP API, the SMS outbox, the
 * intake journal and its replay, the on-call escalation, and the operators' alarms. Each concern is one module of
 * infra/constructs/; this class only wires them together.
 *
 * The concerns add their resources to the stack itself, not to a child construct of their own: a child scope would
 * change every logical id, and CloudFormation would replace the retained table, keys, secrets and log groups (the
 * old ones orphaned with the data in them).
 */
export class HotlineStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const context = contextOf(this);

    const table = new HotlineTable(this);
    const vault = new NumberVault(this);
    const secrets = new HotlineSecrets(this);
    const api = new WebhookApi(this);
    const alarms = new OperatorAlarms(this, { email: context.alarmEmail });
    const functions = { table, secrets, publicBaseUrl: api.endpoint };

    const outbox = new SmsOutbox(this, functions, alarms);
    const journal = new IntakeJournal(this, table, alarms);
    const escalation = new OnCallEscalation(this, functions, outbox, alarms);
    const channels = new ReportChannels(this, functions, { outbox, journal, vault, escalation }, context);
    const broadcasts = new Broadcasts(this, functions, outbox, vault, context);
    // The recordings the voice line plays (and serves), and the prompt studio's takes (docs/studio.md).
    const promptAudio = new PromptAudio(this);
    promptAudio.bindReader(channels.voice);
    promptAudio.bindRecorder(channels.voice);

    const watched = {
      ussd: channels.ussd,
      sms: channels.sms,
      voice: channels.voice,
      outbox: outbox.function,
      escalation: escalation.function,
      'intake-replay': channels.intakeReplay,
      broadcast: broadcasts.function,
    };
    for (const [name, fn] of Object.entries(watched)) alarms.watchFunction(name, fn);
    // The USSD function serves GET /health/deep.
    watchDeepHealth(this, channels.ussd, alarms);

    const stage = api.serve(channels, alarms);
    // The optional always-on Kannel host (-c kannelHost=true -c kannelDomain=…), for the operators' SMPP binds.
    const kannelHost = kannelHostContext(this);
    if (kannelHost) new KannelHost(this, 'KannelHost', { ...kannelHost, apiEndpoint: api.endpoint, webhookToken: secrets.kannelWebhookToken, alarms });
    const backOffice = new BackOfficeConsole(this, functions, { outbox, journal, vault, escalation }, alarms, { emailFrom: context.consoleEmailFrom });
    promptAudio.bindRecorder(backOffice.function);
    api.serveConsole(backOffice.function);
    addOperatorOutputs(this, { api, stage, secrets, table, alarms, outbox, journal });
  }
}
