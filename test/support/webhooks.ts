import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Report } from '../../shared/domain/report';

/** Anything with a Hono app's in-process `request`: a test hotline. */
export interface HasApp {
  app: { request(path: string, init: RequestInit): Response | Promise<Response> };
}

/** A form POST to a webhook route, as the providers send them; the answer with its Retry-After. */
export async function post(hotline: HasApp, path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await hotline.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, body: await response.text(), retryAfter: response.headers.get('retry-after') };
}

/** One Africa's Talking USSD step (`text`: the session's inputs joined by `*`). */
export const ussd = (hotline: HasApp, sessionId: string, phoneNumber: string, text: string) =>
  post(hotline, '/ussd/africastalking', { sessionId, serviceCode: '*384*1234#', phoneNumber, networkCode: '99999', text });

/** One Africa's Talking inbound SMS. */
export const atSms = (hotline: HasApp, id: string, from: string, text: string) =>
  post(hotline, '/sms/africastalking', { id, from, to: '21525', text, date: '2026-11-20 09:20:11', networkCode: '99999' });

/** Every stored report in a table, read with a healthy client. */
export async function storedReports(client: DynamoDBDocumentClient, tableName: string): Promise<Report[]> {
  const { Items = [] } = await client.send(
    new ScanCommand({
      TableName: tableName,
      FilterExpression: 'begins_with(pk, :report) AND sk = :sk',
      ExpressionAttributeValues: { ':report': 'REPORT#', ':sk': 'REPORT' },
    }),
  );
  return Items as Report[];
}
