import { RemovalPolicy } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { acknowledgeNag } from './nag';

/**
 * The keys an operator puts into the ProviderCredentials secret (see shared/config.ts for each one's format). The
 * placeholders hold no apostrophe: the command template quotes the whole JSON in single quotes for the shell.
 */
export const PROVIDER_CREDENTIALS_TEMPLATE = {
  AT_USERNAME: '<AT username>',
  AT_API_KEY: '<AT API key>',
  AT_SENDER_ID: '<sender ID or short code>',
  TWILIO_ACCOUNT_SID: 'AC<32 hex digits>',
  TWILIO_AUTH_TOKEN: '<Twilio auth token>',
  TWILIO_FROM: '<+447... number or MG... messaging service SID>',
  KANNEL_SENDSMS_URL: '<https://kannel-host/cgi-bin/sendsms>',
  KANNEL_USERNAME: 'hotline',
  KANNEL_PASSWORD: '<the sendsms-user password of kannel.conf>',
  KANNEL_SMSC_ROUTES: 'tcell=SMPP_TCELL,megafon=SMPP_MEGAFON,zet-mobile=SMPP_ZET,babilon-m=SMPP_BABILON,o-mobile=SMPP_OMOBILE',
};

/**
 * The hotline's secrets. CloudFormation generates one value per secret, so each generated value gets its own
 * secret; each function receives the ARNs it needs in SECRETS_ARN (HotlineFunction.bindSecrets) and lays their JSON
 * keys over its environment (shared/secrets.ts). The two generated ones also have different lifecycles: the token
 * may be replaced at will (then re-pasted into Africa's Talking), the hash key never (see the SMG4 acknowledgement).
 */
export class HotlineSecrets {
  readonly atWebhookToken: Secret;
  readonly phoneHashKey: Secret;
  readonly providerCredentials: Secret;
  /** KANNEL_WEBHOOK_TOKEN: Kannel signs nothing either, so every URL of its sms-services and DLRs carries it. */
  readonly kannelWebhookToken: Secret;
  /**
   * What a function that sends nothing through a provider itself needs, in the order laid over the environment: a
   * generated value always wins over a stray key of the same name pasted into the provider credentials.
   */
  readonly generated: readonly Secret[];
  /** The same with the provider credentials first: for whoever sends, or checks Twilio's signatures. */
  readonly withProviderCredentials: readonly Secret[];

  constructor(scope: Construct) {
    this.atWebhookToken = new Secret(scope, 'AtWebhookToken', {
      description: "SafeJob Hotline: JSON key AT_WEBHOOK_TOKEN, the ?token= that Africa's Talking webhooks carry",
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'AT_WEBHOOK_TOKEN',
        // It travels in a URL query string: letters and digits only, 48 of them (~285 bits).
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
    });

    this.phoneHashKey = new Secret(scope, 'PhoneHashKey', {
      description: 'SafeJob Hotline: JSON key PHONE_HASH_KEY, the HMAC key of every phone hash in the table; never rotate',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'PHONE_HASH_KEY',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 64,
      },
      // Every stored caller key is an HMAC under this value: losing it orphans the retained table's data.
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Issued by the providers, not generated: the stack creates the secret holding an empty JSON object (so the
    // functions start, and send nothing, until it is filled) and the operator fills it with put-secret-value (see
    // the ProviderCredentialsCommand output). `{}` is the only value the template carries. Keep this resource's
    // properties unchanged once it is filled: a change to SecretString here would overwrite the operator's value.
    // Not retained: with the stack gone the credentials have no user, and they are revoked and re-issued at the
    // provider, not restored; a retained copy would be a live credential nobody tracks.
    this.providerCredentials = new Secret(scope, 'ProviderCredentials', {
      description:
        'SafeJob Hotline: SMS provider credentials (JSON keys AT_USERNAME, AT_API_KEY, AT_SENDER_ID, ' +
        'TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, KANNEL_SENDSMS_URL, KANNEL_USERNAME, KANNEL_PASSWORD, ' +
        'KANNEL_SMSC_ROUTES), filled by the operator',
      secretObjectValue: {},
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.kannelWebhookToken = new Secret(scope, 'KannelWebhookToken', {
      description: 'SafeJob Hotline: JSON key KANNEL_WEBHOOK_TOKEN, the token= that Kannel webhooks carry',
      generateSecretString: {
        secretStringTemplate: JSON.stringify({}),
        generateStringKey: 'KANNEL_WEBHOOK_TOKEN',
        excludePunctuation: true,
        includeSpace: false,
        passwordLength: 48,
      },
    });

    this.generated = [this.atWebhookToken, this.phoneHashKey];
    this.withProviderCredentials = [this.providerCredentials, ...this.generated];

    acknowledgeNag(this.atWebhookToken, 'AwsSolutions-SMG4',
      "Rotating the token means updating the callback URLs configured at Africa's Talking at the same moment, or " +
        'every USSD session fails with 403; it is a manual runbook step, not an automatic schedule.');
    acknowledgeNag(this.kannelWebhookToken, 'AwsSolutions-SMG4',
      'Rotating it would break every URL in kannel.conf until the Kannel host renders its configuration again; it ' +
        'is replaced by hand, together with the host.');
    acknowledgeNag(this.phoneHashKey, 'AwsSolutions-SMG4',
      'The HMAC key behind every stored phone hash: rotating it would orphan every caller key, report link and ' +
        'rate-limit counter in the table. It is generated once and never rotated (re-keying would be a migration).');
    acknowledgeNag(this.providerCredentials, 'AwsSolutions-SMG4',
      "Africa's Talking API keys and Twilio auth tokens are issued in the providers' consoles; Secrets Manager has " +
        'no rotation function for them. Rotation is a manual runbook step: issue a new key at the provider, ' +
        'put-secret-value, let the functions pick it up, then revoke the old key at the provider.');
  }
}
