import { Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, HttpApi, HttpMethod, LogGroupLogDestination, type HttpRoute, type HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Stats } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { OperatorAlarms } from './alarms';
import { LOG_RETENTION } from './logs';
import { acknowledgeNag } from './nag';

/**
 * Each route's own throttle (API Gateway keeps one token bucket per route of the stage): a flood on one route is
 * refused there with 429, and the other routes keep theirs. Requests per second (steady) and the burst above it:
 * - `caller`: someone is on the line or waiting for a reply (USSD, voice, inbound SMS). 50/s is ~3,000 USSD screens a
 *   minute, far above the hotline's busiest hour (a broadcast can bring a few hundred callers in minutes).
 * - `report`: providers' delivery reports and session events; nobody waits on them, but they come in bursts after a
 *   broadcast (one per message), hence the larger burst. A refused one is retried by the provider or only loses a
 *   status.
 * - `health`: monitoring probes; `console`: the officers' pages.
 * Their sum stays under AWS's account-wide 10,000 requests a second (test/infra.test.ts), so that even every route
 * flooded at once fits the account's own bucket.
 */
export const ROUTE_THROTTLES = {
  caller: { rateLimit: 50, burstLimit: 100 },
  report: { rateLimit: 100, burstLimit: 300 },
  health: { rateLimit: 2, burstLimit: 5 },
  console: { rateLimit: 20, burstLimit: 40 },
} as const;
type Throttle = keyof typeof ROUTE_THROTTLES;

/**
 * The public webhook routes of the USSD function (docs/providers.md). Local-only `/dev/` routes are never mounted
 * here: anything not listed gets API Gateway's own 404 without reaching the function.
 */
export const USSD_ROUTES = [
  { method: HttpMethod.POST, path: '/ussd/africastalking', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/ussd/africastalking/events', throttle: 'report' },
  // Kannel's USSD sms-service (get-url, or post-url).
  { method: HttpMethod.GET, path: '/ussd/kannel', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/ussd/kannel', throttle: 'caller' },
  { method: HttpMethod.GET, path: '/health', throttle: 'health' },
  { method: HttpMethod.GET, path: '/health/deep', throttle: 'health' },
] as const satisfies readonly WebhookRoute[];

/** The public webhook routes of the SMS function: inbound messages and delivery reports of the providers. */
export const SMS_ROUTES = [
  { method: HttpMethod.POST, path: '/sms/africastalking', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/sms/africastalking/delivery', throttle: 'report' },
  { method: HttpMethod.POST, path: '/sms/twilio', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/sms/twilio/status', throttle: 'report' },
  // Kannel's SMS sms-service (get-url, or post-url) and its delivery reports (dlr-url, always a GET).
  { method: HttpMethod.GET, path: '/sms/kannel', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/sms/kannel', throttle: 'caller' },
  { method: HttpMethod.GET, path: '/sms/kannel/delivery', throttle: 'report' },
] as const satisfies readonly WebhookRoute[];

/**
 * The public webhook routes of the voice function (functions/voice/app.ts): every callback of a call (answer,
 * Gather, Record, Dial, Africa's Talking's final `isActive=0`) comes back to one path per provider, its state in the
 * query string; the studio line (staff recording prompts) has its own path per provider; GET /audio/… serves the
 * recordings from the prompt audio bucket to the providers, which fetch them without credentials.
 */
export const VOICE_ROUTES = [
  { method: HttpMethod.POST, path: '/voice/africastalking', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/voice/twilio', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/voice/africastalking/studio', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/voice/twilio/studio', throttle: 'caller' },
  { method: HttpMethod.POST, path: '/voice/twilio/whisper', throttle: 'caller' },
  // Every callback of every call fetches its recordings (the providers cache them only briefly).
  { method: HttpMethod.GET, path: '/audio/{proxy+}', throttle: 'report' },
  /** An officer's short-lived signed link to a caller's recording (shared/recording-links.ts): officers' pace. */
  { method: HttpMethod.GET, path: '/recordings/{reference}', throttle: 'console' },
] as const satisfies readonly WebhookRoute[];

/** The console's routes (functions/console/app.ts): its pages, forms and downloads, all under /console. */
export const CONSOLE_ROUTES = [
  { method: HttpMethod.GET, path: '/console', throttle: 'console' },
  { method: HttpMethod.GET, path: '/console/{proxy+}', throttle: 'console' },
  { method: HttpMethod.POST, path: '/console/{proxy+}', throttle: 'console' },
] as const satisfies readonly WebhookRoute[];

interface WebhookRoute {
  method: HttpMethod;
  path: string;
  throttle: Throttle;
}

export interface WebhookFunctions {
  ussd: IFunction;
  sms: IFunction;
  voice: IFunction;
}

/**
 * The HTTP API of the provider webhooks. It is created first (the functions need its URL) and serves the functions
 * once they exist: a throttled `$default` stage with JSON access logs, its 5xx alarm, and exactly the routes above.
 */
export class WebhookApi {
  readonly api: HttpApi;
  private readonly scope: Construct;
  private stage: HttpStage | undefined;
  /** Each served route's throttle, by route key (`POST /sms/twilio`): the stage's RouteSettings. */
  private readonly routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};

  constructor(scope: Construct) {
    this.scope = scope;
    this.api = new HttpApi(scope, 'Api', {
      apiName: 'safejob-hotline',
      description: 'SafeJob Hotline provider webhooks',
      // The default stage is added by serve() with access logging and throttling.
      createDefaultStage: false,
    });
  }

  /** The base URL every webhook is called on (the functions' PUBLIC_BASE_URL). */
  get endpoint(): string {
    return this.api.apiEndpoint;
  }

  serve(functions: WebhookFunctions, alarms: OperatorAlarms): HttpStage {
    const accessLogs = new LogGroup(this.scope, 'ApiAccessLogs', {
      retention: LOG_RETENTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      // Every route has its own throttle (ROUTE_THROTTLES, in the RouteSettings below); this is only the default.
      throttle: { burstLimit: 200, rateLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        // `path` excludes the query string, so the Africa's Talking `?token=` never reaches the access log.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: AccessLogField.contextRequestId(),
            requestTime: AccessLogField.contextRequestTime(),
            sourceIp: AccessLogField.contextIdentitySourceIp(),
            userAgent: AccessLogField.contextIdentityUserAgent(),
            routeKey: AccessLogField.contextRouteKey(),
            path: AccessLogField.contextPath(),
            status: AccessLogField.contextStatus(),
            responseLength: AccessLogField.contextResponseLength(),
            responseLatency: AccessLogField.contextResponseLatency(),
            integrationStatus: AccessLogField.contextIntegrationStatus(),
            integrationLatency: AccessLogField.contextIntegrationLatency(),
            integrationError: AccessLogField.contextIntegrationErrorMessage(),
            error: AccessLogField.contextErrorMessage(),
          }),
        ),
      },
    });

    // Any 5xx is a caller or a provider that got no answer (a store outage answers 503 on purpose, so the provider
    // retries): one in five minutes alarms.
    alarms.alarm(
      'ApiServerErrorAlarm',
      'api-5xx',
      'The webhooks answered 5xx (a function error, a timeout, or 503 while the table is unavailable): see the API ' +
        'access logs (status, integrationError) and the function alarms.',
      this.api.metricServerError({ period: Duration.minutes(5), statistic: Stats.SUM }),
    );

    const ussd = new HttpLambdaIntegration('UssdIntegration', functions.ussd);
    const sms = new HttpLambdaIntegration('SmsIntegration', functions.sms);
    const voice = new HttpLambdaIntegration('VoiceIntegration', functions.voice);
    this.stage = stage;
    (stage.node.defaultChild as CfnStage).routeSettings = Lazy.any({ produce: () => this.routeSettings });
    const routes = [
      ...this.addRoutes(USSD_ROUTES, ussd),
      ...this.addRoutes(SMS_ROUTES, sms),
      ...this.addRoutes(VOICE_ROUTES, voice),
    ];
    for (const route of routes) {
      acknowledgeNag(route, 'AwsSolutions-APIG4',
        "Provider webhooks (Africa's Talking, Twilio) cannot send IAM or JWT authorization. Each request is " +
          "authenticated in the function instead: a secret ?token= compared in constant time for Africa's Talking, " +
          'the X-Twilio-Signature for Twilio; failures get 403 and change nothing. GET /health reveals nothing; GET /health/deep names failing checks, never a secret or a stored value. ' +
          'GET /audio/… serves the voice prompts every caller hears (the providers fetch them without credentials): nothing private. ' +
          'GET /recordings/{reference} is an officer\'s link from an SMS page: it serves only with an HMAC signature and an expiry the hotline issued (403 otherwise).');
    }
    return stage;
  }

  /** The console behind the same API: it authenticates every request itself (OIDC sessions, CSRF on every form). */
  serveConsole(fn: IFunction): void {
    const integration = new HttpLambdaIntegration('ConsoleIntegration', fn);
    for (const route of this.addRoutes(CONSOLE_ROUTES, integration)) {
      acknowledgeNag(route, 'AwsSolutions-APIG4',
        'The console authenticates in the function: an OpenID Connect sign-in (Cognito, MFA required) and a signed ' +
          'session cookie checked against the table on every request; every form carries a CSRF token.');
    }
  }

  /** The routes, each with its throttle in the stage's RouteSettings (the stage is created after its routes). */
  private addRoutes(routes: readonly WebhookRoute[], integration: HttpLambdaIntegration): HttpRoute[] {
    return routes.flatMap(({ method, path, throttle }) => {
      const { rateLimit, burstLimit } = ROUTE_THROTTLES[throttle];
      this.routeSettings[`${method} ${path}`] = { ThrottlingRateLimit: rateLimit, ThrottlingBurstLimit: burstLimit };
      const added = this.api.addRoutes({ path, methods: [method], integration });
      // RouteSettings name routes by key: CloudFormation must have created them first.
      for (const route of added) this.stage?.node.addDependency(route);
      return added;
    });
  }
}
