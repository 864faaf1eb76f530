/**
 * E-mail to partners' focal points: through Amazon SES (v2 API) on AWS, into an in-memory mailbox locally (shown
 * at /dev/mail). Plain text only; a notice carries a link to the console and never a reporter's number or words.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface MailSender {
  send(message: MailMessage): Promise<void>;
}

export class SesMailSender implements MailSender {
  private readonly client: SESv2Client;

  constructor(
    private readonly from: string,
    region: string,
    client?: SESv2Client,
  ) {
    this.client = client ?? new SESv2Client({ region, maxAttempts: 3 });
  }

  async send({ to, subject, text }: MailMessage): Promise<void> {
    await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: this.from,
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: subject, Charset: 'UTF-8' }, Body: { Text: { Data: text, Charset: 'UTF-8' } } } },
      }),
    );
  }
}

/** Local: what would have been e-mailed, newest last. */
export class LocalMailbox implements MailSender {
  private readonly messages: (MailMessage & { at: string })[] = [];

  async send(message: MailMessage): Promise<void> {
    this.messages.push({ ...message, at: new Date().toISOString() });
  }

  list(): readonly (MailMessage & { at: string })[] {
    return this.messages;
  }
}
