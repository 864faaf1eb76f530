/**
 * National referrals and the reporter's consent to sharing (shared/store/keys.ts): a referral lives with its report
 * (`REPORT#<reference>` / `REFERRAL#<id>`), and a pointer in its organisation's partition lists it for the partner.
 * Every status change is written on condition that the status read is still stored, so a partner's accept and an
 * officer's revoke racing each other cannot both win.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { referralSchema, sharingConsentSchema, type Referral, type SharingConsent } from '../domain/console/referral';
import { writtenIf } from './conditional';
import { collections, keys } from './keys';
import { queryAll } from './query';

export class ReferralRepository {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  newId(): string {
    return randomUUID();
  }

  async sharingConsent(reference: string): Promise<SharingConsent | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.sharingConsent(reference), ConsistentRead: true }));
    return Item ? sharingConsentSchema.parse(Item) : undefined;
  }

  async recordSharingConsent(consent: SharingConsent): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.sharingConsent(consent.reference), ...consent } }));
  }

  async create(referral: Referral): Promise<void> {
    const item = referralSchema.parse(referral);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.referral(referral.reference, referral.id), ...item },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.organisationReferral(referral.organisationId, referral.createdAt, referral.id), reference: referral.reference, id: referral.id },
      }),
    );
  }

  async get(reference: string, id: string): Promise<Referral | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: keys.referral(reference, id), ConsistentRead: true }));
    return Item ? referralSchema.parse(Item) : undefined;
  }

  /** Writes the referral's new state if its status is still `fromStatus`; false when someone changed it first. */
  async update(next: Referral, fromStatus: Referral['status']): Promise<boolean> {
    return writtenIf(
      this.client,
      new PutCommand({
        TableName: this.tableName,
        Item: { ...keys.referral(next.reference, next.id), ...referralSchema.parse(next) },
        ConditionExpression: '#status = :from',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':from': fromStatus },
      }),
    );
  }

  /** A case's referrals, oldest first. */
  async ofCase(reference: string): Promise<Referral[]> {
    return (await queryAll(this.client, this.tableName, collections.referrals(reference)))
      .map((item) => referralSchema.parse(item))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** An organisation's referrals, newest first. */
  async ofOrganisation(organisationId: string): Promise<Referral[]> {
    const pointers = await queryAll(this.client, this.tableName, collections.organisationReferrals(organisationId));
    const referrals = await Promise.all(pointers.map((p) => this.get(String(p.reference), String(p.id))));
    return referrals.filter((r): r is Referral => r !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
}
