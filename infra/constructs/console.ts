/**
 * The back-office console on AWS: a Cognito user pool (MFA required, one group per console role, no self sign-up)
 * with its hosted sign-in domain and the console's public client (authorization code with PKCE); the console
 * function with its session secret; its routes under /console on the hotline's HTTP API; the SES identity partners
 * are e-mailed from; the referral reminders' schedule. Accounts are created by an administrator in Cognito (or the
 * pool is federated to a ministry's own IdP): no sample account exists here.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  Mfa,
  OAuthScope,
  UserPool,
  UserPoolClientIdentityProvider,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { CONSOLE_ROLES } from '../../shared/domain/console/access';
import type { OperatorAlarms } from './alarms';
import type { ReportIntake } from './channels';
import { HotlineFunction, WEBHOOK_MEMORY_MB } from './function';
import type { FunctionContext } from './function-context';
import { acknowledgeNag } from './nag';
import { TABLE_ACCESS } from './table-access';

export interface ConsoleOptions {
  /** The address partners are e-mailed from (an SES identity the stack creates; confirm the e-mail AWS sends). */
  emailFrom?: string;
}

export class BackOfficeConsole {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly function: HotlineFunction;

  constructor(scope: Construct, context: FunctionContext, intake: ReportIntake, alarms: OperatorAlarms, options: ConsoleOptions) {
    const stack = Stack.of(scope);
    const { table, secrets, publicBaseUrl } = context;

    this.userPool = new UserPool(scope, 'ConsoleUserPool', {
      userPoolName: 'safejob-console',
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledgeNag(this.userPool, 'AwsSolutions-COG8',
      'Threat protection (the Plus feature plan) is a paid Cognito tier, left to the operator; the pool has no self ' +
        'sign-up, requires MFA (TOTP) for every account and a 12-character password, and the console ends idle ' +
        'sessions itself.');
    for (const role of CONSOLE_ROLES) {
      new CfnUserPoolGroup(scope, `ConsoleGroup${role[0]!.toUpperCase()}${role.slice(1)}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: role,
        description: `SafeJob console role: ${role}`,
      });
    }
    this.userPool.addDomain('ConsoleSignInDomain', { cognitoDomain: { domainPrefix: `safejob-console-${stack.account}` } });
    this.client = this.userPool.addClient('ConsoleClient', {
      generateSecret: false,
      authFlows: {},
      preventUserExistenceErrors: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${publicBaseUrl}/console/callback`],
      },
      idTokenValidity: Duration.minutes(60),
    });

    const sessionSecret = new Secret(scope, 'ConsoleSessionSecret', {
      description: 'SafeJob Hotline: JSON key CONSOLE_SESSION_SECRET, signs the console session cookies',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'CONSOLE_SESSION_SECRET',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
    });
    acknowledgeNag(sessionSecret, 'AwsSolutions-SMG4',
      'Rotating the cookie signing key signs everybody out; it is replaced by hand (put-secret-value) when needed.');

    const emailFrom = options.emailFrom ?? 'referrals@example.org';
    const identity = new EmailIdentity(scope, 'ConsoleEmailIdentity', { identity: Identity.email(emailFrom) });

    this.function = new HotlineFunction(scope, 'ConsoleFunction', {
      description: 'SafeJob Hotline: the back-office console (officers, supervisors, partners, analysts, administrators)',
      entry: 'functions/console/index.ts',
      memorySize: WEBHOOK_MEMORY_MB,
      timeout: Duration.seconds(15),
      publicBaseUrl,
      environment: {
        CONSOLE_OIDC_ISSUER: `https://cognito-idp.${stack.region}.amazonaws.com/${this.userPool.userPoolId}`,
        CONSOLE_OIDC_CLIENT_ID: this.client.userPoolClientId,
        CONSOLE_EMAIL_FROM: emailFrom,
      },
    })
      .bindTable(table, TABLE_ACCESS.ConsoleFunction)
      .bindSecrets([...secrets.generated, sessionSecret]);
    // Acting on a case as officers do by SMS: the outbox, the escalation, and the sealed call-back number (to tell
    // or message the reporter). It takes no reports, but the channel wiring it shares names the journal.
    intake.outbox.bindSender(this.function);
    intake.journal.bindWriter(this.function);
    intake.escalation.bindStarter(this.function);
    intake.vault.bind(this.function, ['kms:Decrypt']);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [`arn:${stack.partition}:ses:${stack.region}:${stack.account}:identity/${identity.emailIdentityName}`],
      }),
    );

    new Rule(scope, 'ReferralRemindersSchedule', {
      description: 'SafeJob Hotline: reminds partners of referrals near their deadline',
      schedule: Schedule.rate(Duration.minutes(15)),
      targets: [new LambdaFunction(this.function, { event: RuleTargetInput.fromObject({ task: 'referral-reminders' }) })],
    });
    alarms.watchFunction('console', this.function);
  }
}
