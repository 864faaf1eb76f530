import { handle } from 'hono/aws-lambda';
import { awsChannels, CHANNEL_SECTIONS } from '../../shared/aws-adapters';
import { voiceSection } from '../../shared/channels/voice-config';
import { consoleSection } from '../../shared/console/config';
import { studioSection } from '../../shared/studio/config';
import { SesMailSender } from '../../shared/console/mail';
import { remindDueReferrals } from '../../shared/console/referrals';
import { OidcSignIn } from '../../shared/console/sign-in';
import { withConsole } from '../../shared/console/compose';
import { lazyDeps } from '../../shared/runtime';
import { s3AudioAdapter } from '../../shared/studio/audio-s3';
import { withStudio } from '../../shared/studio/compose';
import { createConsoleApp } from './app';

/**
 * The console on Lambda: its own function (its bundle never grows the webhooks'), behind the same HTTP API under
 * /console, signing in to the stack's Cognito user pool and e-mailing partners through SES. The same function runs
 * the referral deadline reminders on a schedule.
 */
const consoleDeps = lazyDeps({ ...CHANNEL_SECTIONS, voice: voiceSection, studio: studioSection, console: consoleSection }, (config) => {
  const { issuer, clientId, rolesClaim, sessionSecret, emailFrom } = config.console;
  if (!issuer || !sessionSecret) throw new Error('CONSOLE_OIDC_ISSUER and CONSOLE_SESSION_SECRET are required on AWS');
  const channels = withStudio(awsChannels(config), s3AudioAdapter(config));
  return withConsole(channels, {
    signIn: new OidcSignIn({ issuer, clientId, rolesClaim, redirectUri: `${config.publicBaseUrl}/console/callback` }),
    mail: new SesMailSender(emailFrom, config.region),
    consoleBaseUrl: config.publicBaseUrl,
  });
});

export const app = createConsoleApp(consoleDeps);
const http = handle(app);

/** The reminders' schedule sends `{ "task": "referral-reminders" }`; anything else is an API Gateway request. */
export const handler = async (event: unknown, context: unknown) => {
  if (typeof event === 'object' && event !== null && (event as { task?: unknown }).task === 'referral-reminders') {
    return { reminded: await remindDueReferrals(await consoleDeps()) };
  }
  return http(event as Parameters<typeof http>[0], context as Parameters<typeof http>[1]);
};
