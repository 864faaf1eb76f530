import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE_KEYS } from '../../shared/store/keys';

/**
 * The hotline table (reports, callers, officers, the registry, the outbox's message states) and its key. Functions
 * use it through HotlineFunction.bindTable.
 */
export class HotlineTable {
  readonly key: Key;
  readonly table: Table;

  constructor(scope: Construct) {
    this.key = new Key(scope, 'TableKey', {
      description: 'SafeJob Hotline: encryption at rest of the hotline table (reports, callers, officers) and of the intake journal',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // `Table` (AWS::DynamoDB::Table), not `TableV2` (a global table): TableV2 cannot render a customer-managed key in
    // an environment-agnostic stack, and the hotline needs no replicas.
    this.table = new Table(scope, 'Table', {
      partitionKey: { name: TABLE_KEYS.partition, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sort, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: TABLE_KEYS.ttl,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      // Reports and the registry must survive a mistaken `cdk destroy` or a logical-id change.
      removalPolicy: RemovalPolicy.RETAIN,
      deletionProtection: true,
    });
  }
}
