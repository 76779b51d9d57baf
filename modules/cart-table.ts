import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import {
  CREATE_TABLE_DYNAMODB_ACTIONS,
  CUSTOMER_INDEX_NAME,
  KEY_ATTRIBUTES,
  REQUIRED_DYNAMODB_ACTIONS,
} from '@cart-platform/service/contract';
import { AWS_REGION, DYNAMODB_TABLE_NAME } from '@cart-platform/service/validators';
import type { PolicyStatement } from './iam-policy';
import { requireFormat } from './validate';

/** Anything that takes policy statements (a WorkloadIdentity). */
export interface IGrantable {
  addToPolicy(statement: PolicyStatement): void;
}

/**
 * The table actions each grant hands out, in one place. `readWriteData` is exactly what the service calls (its
 * contract, checked by the service's tests); the narrower lists are subsets of it.
 */
export const TABLE_ACTIONS = {
  readData: ['dynamodb:GetItem', 'dynamodb:Query'],
  writeData: ['dynamodb:BatchWriteItem', 'dynamodb:DeleteItem', 'dynamodb:UpdateItem'],
  readWriteData: REQUIRED_DYNAMODB_ACTIONS,
  createTable: CREATE_TABLE_DYNAMODB_ACTIONS,
} as const satisfies Record<string, readonly string[]>;

/**
 * What a principal needs on a customer-managed table key (as aws-cdk grants them): DynamoDB calls KMS with the
 * caller's credentials, restricted by `kms:ViaService` to DynamoDB.
 */
export const KEY_ACTIONS = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  readWrite: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
} as const;

export const TABLE_ENCRYPTIONS = ['aws-owned', 'customer-managed'] as const;
export type TableEncryption = (typeof TABLE_ENCRYPTIONS)[number];
export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;
export type StreamViewType = (typeof STREAM_VIEW_TYPES)[number];

export interface CartTableProps {
  /** Table name (the guide's `Items`). */
  readonly tableName: string;
  /** The region the table lives in (scopes the KMS grant to DynamoDB in that region). */
  readonly region: string;
  /**
   * Continuous backups with point-in-time recovery.
   * @default true
   */
  readonly pointInTimeRecovery?: boolean;
  /**
   * Refuse deletion of the table (DynamoDB deletion protection; turn it off before destroying).
   * @default false
   */
  readonly deletionProtection?: boolean;
  /**
   * Server-side encryption with the AWS-owned key, or with a customer-managed KMS key (rotated yearly).
   * @default 'aws-owned'
   */
  readonly encryption?: TableEncryption;
  /**
   * Enable a DynamoDB stream with this view type.
   * @default - no stream
   */
  readonly streamViewType?: StreamViewType;
  /**
   * Tags of the table (the provider's default_tags are added on top).
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The cart's DynamoDB table with the upstream data model: partition key `id` (`customerId:itemId`) and the global
 * secondary index `idx_global_customerId` on `customerId` (projection ALL), on-demand billing, point-in-time
 * recovery and encryption at rest. Access is handed out through grants, never as pasted policy JSON.
 */
export class CartTable extends Construct {
  public readonly table: DynamodbTable;
  /** The table's name (a token: reference it so dependants follow the resource). */
  public readonly tableName: string;
  public readonly tableArn: string;
  /** The ARN pattern of the table's indexes, `<table ARN>/index/*`. */
  public readonly indexArns: string;
  public readonly indexName: string;
  /** The customer-managed key (encryption `customer-managed` only). */
  public readonly encryptionKey?: KmsKey;
  private readonly region: string;

  constructor(scope: Construct, id: string, props: CartTableProps) {
    super(scope, id);
    const encryption = props.encryption ?? 'aws-owned';
    const pointInTimeRecovery = props.pointInTimeRecovery ?? true;
    const deletionProtection = props.deletionProtection ?? false;
    validate(props, encryption);
    this.region = props.region;
    this.indexName = CUSTOMER_INDEX_NAME;

    if (encryption === 'customer-managed') {
      this.encryptionKey = new KmsKey(this, 'key', {
        description: `Encryption at rest of DynamoDB table ${props.tableName}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
      });
      new KmsAlias(this, 'key-alias', {
        name: `alias/dynamodb-${props.tableName}`,
        targetKeyId: this.encryptionKey.keyId,
      });
    }

    this.table = new DynamodbTable(this, 'table', {
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: KEY_ATTRIBUTES.tablePartitionKey,
      attribute: [
        { name: KEY_ATTRIBUTES.tablePartitionKey, type: 'S' },
        { name: KEY_ATTRIBUTES.indexPartitionKey, type: 'S' },
      ],
      globalSecondaryIndex: [
        { name: CUSTOMER_INDEX_NAME, hashKey: KEY_ATTRIBUTES.indexPartitionKey, projectionType: 'ALL' },
      ],
      pointInTimeRecovery: { enabled: pointInTimeRecovery },
      deletionProtectionEnabled: deletionProtection,
      // `enabled: false` is the AWS-owned key; `true` without a key ARN would be the AWS-managed `aws/dynamodb`.
      serverSideEncryption:
        this.encryptionKey === undefined
          ? { enabled: false }
          : { enabled: true, kmsKeyArn: this.encryptionKey.arn },
      ...(props.streamViewType !== undefined && {
        streamEnabled: true,
        streamViewType: props.streamViewType,
      }),
      tags: { ...props.tags },
    });
    this.tableName = this.table.name;
    this.tableArn = this.table.arn;
    this.indexArns = `${this.table.arn}/index/*`;
  }

  /** Lets the identity read items (GetItem, Query on the table and its indexes). */
  public grantReadData(identity: IGrantable): void {
    this.grant(identity, 'CartTableReadData', TABLE_ACTIONS.readData, KEY_ACTIONS.read);
  }

  /** Lets the identity write items (UpdateItem, DeleteItem, BatchWriteItem). */
  public grantWriteData(identity: IGrantable): void {
    this.grant(identity, 'CartTableWriteData', TABLE_ACTIONS.writeData, KEY_ACTIONS.readWrite);
  }

  /** Lets the identity make every call the cart service makes at run time, and nothing else. */
  public grantReadWriteData(identity: IGrantable): void {
    this.grant(identity, 'CartTableReadWriteData', TABLE_ACTIONS.readWriteData, KEY_ACTIONS.readWrite);
  }

  /**
   * Lets the identity create the table when missing and wait for it (the service's create-table mode). Only for
   * worlds that run in that mode: the EKS world never does, its table belongs to Terraform.
   */
  public grantCreateTable(identity: IGrantable): void {
    this.grant(identity, 'CartTableCreateTable', TABLE_ACTIONS.createTable, KEY_ACTIONS.readWrite);
  }

  private grant(
    identity: IGrantable,
    sid: string,
    actions: readonly string[],
    keyActions: readonly string[],
  ): void {
    identity.addToPolicy({ sid, actions, resources: [this.tableArn, this.indexArns] });
    if (this.encryptionKey !== undefined) {
      identity.addToPolicy({
        sid: `${sid}Key`,
        actions: keyActions,
        resources: [this.encryptionKey.arn],
        conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${this.region}.amazonaws.com` } },
      });
    }
  }
}

function validate(props: CartTableProps, encryption: string): void {
  const name = props.tableName;
  requireFormat('CartTable', 'tableName', DYNAMODB_TABLE_NAME, name);
  if (!(TABLE_ENCRYPTIONS as readonly string[]).includes(encryption)) {
    throw new Error(
      `CartTable encryption: "${encryption}" not allowed; use ${TABLE_ENCRYPTIONS.join(' or ')}`,
    );
  }
  const view = props.streamViewType;
  if (view !== undefined && !(STREAM_VIEW_TYPES as readonly string[]).includes(view)) {
    throw new Error(`CartTable streamViewType: "${view}" not allowed; use ${STREAM_VIEW_TYPES.join(', ')}`);
  }
  requireFormat('CartTable', 'region', AWS_REGION, props.region);
}
